//! The linkscope binary: parses the command line and runs it on a tokio runtime.

use std::process::ExitCode;

use clap::Parser;
use linkscope::cli::Cli;

fn main() -> ExitCode {
    // Panics print a short report; a backtrace only with RUST_BACKTRACE set.
    let _ = color_eyre::install();
    let cli = Cli::parse();
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
