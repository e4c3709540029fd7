//! `kubectl reach …`: kubectl runs plugins named `kubectl-<name>` from PATH.
fn main() -> std::process::ExitCode {
    kreach::main()
}
