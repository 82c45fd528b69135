//! Runs the built `linkscope` binary with a controlled environment.

use std::path::PathBuf;
use std::process::{Command, Output};

/// A scratch directory under `target/`, unique to one test.
pub fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `linkscope ARGS` with no inherited AWS settings: fake credentials unless `credentials` is false,
/// no shared config files, and instance metadata disabled.
pub fn run(args: &[&str], credentials: bool) -> Output {
    run_with(args, credentials, &[])
}

/// [`run`] with extra environment variables.
pub fn run_with(args: &[&str], credentials: bool, env: &[(&str, &std::ffi::OsStr)]) -> Output {
    let home = scratch("home");
    let mut command = Command::new(env!("CARGO_BIN_EXE_linkscope"));
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", &home)
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", home.join("config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join("credentials"))
        .env("NO_COLOR", "1")
        .envs(env.iter().copied());
    if credentials {
        command
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing");
    }
    command.output().expect("run linkscope")
}

/// Asserts a failure with the given exit code and exactly one clean line on stderr.
pub fn assert_clean_failure(output: &Output, code: i32, needle: &str) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(code), "stderr: {stderr}");
    assert_eq!(
        stderr.lines().count(),
        1,
        "one line expected, got: {stderr}"
    );
    assert!(stderr.contains(needle), "expected {needle:?} in: {stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "{stderr}"
    );
    stderr
}
