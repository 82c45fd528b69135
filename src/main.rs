//! The linkscope binary: parses the command line and runs it on a tokio runtime.

use std::process::ExitCode;

fn main() -> ExitCode {
    // Panics print a short report; a backtrace only with RUST_BACKTRACE set.
    let _ = color_eyre::install();
    let cli = match linkscope::cli::parse(std::env::args_os()) {
        Ok(cli) => cli,
        Err(error) if !error.use_stderr() => error.exit(), // --help, --version
        Err(error) => {
            // Bad input is one line, exit code 2, like every other linkscope error.
            let text = error.render().to_string();
            let message: Vec<&str> = text
                .lines()
                .map(str::trim)
                .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more"))
                .filter(|l| !l.is_empty())
                .collect();
            let message = message.join(" ");
            let message = message.strip_prefix("error: ").unwrap_or(&message);
            eprintln!("linkscope: error: {message} (see --help)");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("linkscope: cannot start the async runtime: {error}");
            return ExitCode::from(3);
        }
    };
    match runtime.block_on(linkscope::run::run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(failure) => {
            eprintln!(
                "linkscope: error: {}",
                linkscope::show::clean(&failure.to_string())
            );
            ExitCode::from(failure.exit_code())
        }
    }
}
