//! Generates the prost types for `proto/modules.proto` with a pure-Rust parser (no `protoc`), and a
//! schema table used by the crate's round-trip property over every protobuf message.

use std::fmt::Write as _;
use std::path::PathBuf;

use prost_types::field_descriptor_proto::{Label, Type};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto = "proto/modules.proto";
    println!("cargo:rerun-if-changed={proto}");
    let files = protox::compile([proto], ["proto"])?;
    prost_build::Config::new()
        // The comet transport carries the same messages as JSON with the .proto field names
        // (miniprogram.md §3.2); `bytes` fields travel there as JSON strings.
        .message_attribute(
            ".",
            "#[derive(serde::Serialize, serde::Deserialize)] #[serde(rename_all = \"camelCase\", default)]",
        )
        .field_attribute("UpStreamMessage.content", "#[serde(with = \"crate::comet::text_bytes\")]")
        .field_attribute("DownStreamMessage.content", "#[serde(with = \"crate::comet::text_bytes\")]")
        .field_attribute("UserSettingItem.value", "#[serde(with = \"crate::comet::text_bytes\")]")
        .compile_fds(files.clone())?;

    let out = PathBuf::from(std::env::var("OUT_DIR")?);
    let generated = std::fs::read_to_string(out.join("modules.rs"))?;
    let rust_names: Vec<&str> = generated
        .lines()
        .filter_map(|l| l.strip_prefix("pub struct "))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    let messages = &files.file.first().ok_or("no file descriptor")?.message_type;
    if rust_names.len() != messages.len() {
        return Err(format!(
            "{} structs for {} messages",
            rust_names.len(),
            messages.len()
        )
        .into());
    }

    // Each message's own name for decode errors (`proto::Named`), where `type_name` would put
    // its whole Rust path into the wasm's data.
    let mut names = String::new();
    for rust in &rust_names {
        writeln!(
            names,
            "impl crate::proto::Named for {rust} {{ const NAME: &'static str = {rust:?}; }}"
        )?;
    }
    std::fs::write(out.join("names.rs"), names)?;

    let mut table = String::from("const SCHEMA: &[MessageSchema] = &[\n");
    let mut dispatch = String::from(
        "fn round_trip(name: &str, bytes: &[u8]) -> Result<(), String> {\n    match name {\n",
    );
    for (msg, rust) in messages.iter().zip(&rust_names) {
        let name = msg.name();
        writeln!(table, "    MessageSchema {{ name: {name:?}, fields: &[")?;
        for f in &msg.field {
            let wire = match f.r#type() {
                Type::Double | Type::Fixed64 | Type::Sfixed64 => "Fixed64",
                Type::Float | Type::Fixed32 | Type::Sfixed32 => "Fixed32",
                Type::String => "Str",
                Type::Bytes => "Bytes",
                Type::Message | Type::Group => "Message",
                _ => "Varint",
            };
            let nested = f.type_name().rsplit('.').next().unwrap_or_default();
            let repeated = f.label() == Label::Repeated;
            writeln!(
                table,
                "        FieldSchema {{ number: {}, wire: Wire::{wire}, repeated: {repeated}, message: {nested:?} }},",
                f.number()
            )?;
        }
        table.push_str("    ] },\n");
        writeln!(dispatch, "        {name:?} => check::<{rust}>(bytes),")?;
    }
    table.push_str("];\n");
    dispatch.push_str("        other => Err(format!(\"no message {other}\")),\n    }\n}\n");
    std::fs::write(out.join("schema_table.rs"), table + &dispatch)?;
    Ok(())
}
