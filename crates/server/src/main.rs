//! The `im-server` binary.
//!
//! - `im-server [--config FILE]`: serve (navigation, `/ping`, `/websocket`, Server API);
//! - `im-server token USER_ID [--config FILE]`: print a client token for a user.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use im_server::Config;
use tracing_subscriber::EnvFilter;

fn usage() -> ExitCode {
    eprintln!("usage: im-server [--config FILE]\n       im-server token USER_ID [--config FILE]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let mut config_file: Option<PathBuf> = None;
    let mut positional = Vec::new();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--config" => match args.next() {
                Some(f) => config_file = Some(PathBuf::from(f)),
                None => return usage(),
            },
            "-h" | "--help" => return usage(),
            _ => positional.push(a),
        }
    }
    let config = match Config::load(config_file.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("im-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    match positional.as_slice() {
        [] => serve(config),
        [cmd, user] if cmd == "token" => print_token(&config, user),
        _ => usage(),
    }
}

fn print_token(config: &Config, user: &str) -> ExitCode {
    if user.is_empty() || user.len() > im_server::token::MAX_USER_ID_LEN {
        eprintln!("im-server: a user id has 1 to 64 bytes");
        return ExitCode::from(2);
    }
    match config.resolve_app() {
        Ok(app) => {
            let tokens = im_server::token::Tokens::new(&app.key, &app.secret, Default::default());
            let _ = writeln!(
                std::io::stdout(),
                "{}",
                tokens.issue(user, im_server::clock::wall_ms())
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("im-server: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve(config: Config) -> ExitCode {
    // Logs go to stderr; stdout carries only the start banner (address and app credentials).
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("im-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        match im_server::start(config).await {
            Ok(server) => {
                // A closed stdout must not stop the server.
                let _ = writeln!(
                    std::io::stdout(),
                    "im-server listening on {}://{}\n  app key:    {}\n  app secret: {}",
                    if server.tls { "https" } else { "http" },
                    server.addr,
                    server.app.key,
                    server.app.secret
                );
                if let Some(api) = server.api_addr {
                    let _ = writeln!(std::io::stdout(), "  server api: http://{api}");
                }
                server.run_until_signal().await;
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("im-server: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
