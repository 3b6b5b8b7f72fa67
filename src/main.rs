#[tokio::main]
async fn main() -> std::process::ExitCode {
    automation_runs::server::cli::main().await
}
