//! `wasm-check FILE.wasm…`: validates each module against the WebAssembly MVP feature set plus
//! mutable globals (what older iOS JavaScriptCore accepts) and prints what it found: the size,
//! the sections, the counts of imports, exports and functions, and, when the module does not
//! validate, the error and the post-MVP features it needs. Exits with status 1 if any module
//! fails.

use std::process::ExitCode;

use wasmparser::{Parser, Payload, Validator, WasmFeatures};

/// What the package's `.wasm` may use.
const ALLOWED: WasmFeatures = WasmFeatures::WASM1;

fn validate(bytes: &[u8], features: WasmFeatures) -> Result<(), wasmparser::BinaryReaderError> {
    Validator::new_with_features(features)
        .validate_all(bytes)
        .map(|_| ())
}

/// The features beyond [`ALLOWED`] that the module needs: start from everything and drop each
/// feature whose absence still validates. `None` if it does not validate even with everything.
fn needed_features(bytes: &[u8]) -> Option<Vec<&'static str>> {
    let mut features = WasmFeatures::all();
    validate(bytes, features).ok()?;
    let mut needed = Vec::new();
    for (name, flag) in WasmFeatures::all().iter_names() {
        if ALLOWED.contains(flag) {
            continue;
        }
        let without = features.difference(flag);
        if validate(bytes, without).is_ok() {
            features = without;
        } else {
            needed.push(name);
        }
    }
    Some(needed)
}

#[derive(Default)]
struct Summary {
    sections: Vec<String>,
    imports: u32,
    exports: u32,
    functions: u32,
}

fn summarize(bytes: &[u8]) -> Result<Summary, wasmparser::BinaryReaderError> {
    let mut s = Summary::default();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::TypeSection(r) => s.sections.push(format!("type({})", r.count())),
            Payload::ImportSection(r) => {
                s.imports = r.count();
                s.sections.push("import".into());
            }
            Payload::FunctionSection(r) => {
                s.functions = r.count();
                s.sections.push("function".into());
            }
            Payload::TableSection(r) => s.sections.push(format!("table({})", r.count())),
            Payload::MemorySection(r) => s.sections.push(format!("memory({})", r.count())),
            Payload::GlobalSection(r) => s.sections.push(format!("global({})", r.count())),
            Payload::ExportSection(r) => {
                s.exports = r.count();
                s.sections.push("export".into());
            }
            Payload::StartSection { .. } => s.sections.push("start".into()),
            Payload::ElementSection(r) => s.sections.push(format!("elem({})", r.count())),
            Payload::DataCountSection { .. } => s.sections.push("datacount".into()),
            Payload::DataSection(r) => s.sections.push(format!("data({})", r.count())),
            Payload::CodeSectionStart { .. } => s.sections.push("code".into()),
            Payload::CustomSection(r) => s.sections.push(format!("custom:{}", r.name())),
            _ => {}
        }
    }
    Ok(s)
}

fn check(path: &str) -> bool {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: cannot read: {e}");
            return false;
        }
    };
    println!("{path}: {} bytes", bytes.len());
    match summarize(&bytes) {
        Ok(s) => {
            println!("  sections: {}", s.sections.join(", "));
            println!(
                "  imports: {}, exports: {}, functions: {}",
                s.imports, s.exports, s.functions
            );
        }
        Err(e) => {
            println!("  FAIL: not a wasm module: {e}");
            return false;
        }
    }
    match validate(&bytes, ALLOWED) {
        Ok(()) => {
            println!("  ok: valid with the MVP feature set plus mutable-global, nothing newer");
            true
        }
        Err(e) => {
            println!("  FAIL: invalid with MVP + mutable-global: {e}");
            match needed_features(&bytes) {
                Some(needed) => println!("  uses: {}", needed.join(", ")),
                None => println!("  (invalid even with every feature enabled)"),
            }
            false
        }
    }
}

fn main() -> ExitCode {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: wasm-check FILE.wasm...");
        return ExitCode::from(2);
    }
    let mut ok = true;
    for path in &paths {
        ok &= check(path);
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
