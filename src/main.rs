// Imports allocate and free millions of small JSON values across threads, where glibc's
// allocator spends more time than the parsing itself.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    automation_runs::server::cli::main().await
}
