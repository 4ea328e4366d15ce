//! Generates the prost types for `proto/modules.proto` with a pure-Rust parser (no `protoc`).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let proto = "proto/modules.proto";
    println!("cargo:rerun-if-changed={proto}");
    let files = protox::compile([proto], ["proto"])?;
    prost_build::Config::new()
        // Equality on generated types is used by round-trip properties.
        .compile_fds(files)?;
    Ok(())
}
