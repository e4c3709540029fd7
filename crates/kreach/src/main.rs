fn main() -> std::process::ExitCode {
    kreach::main()
}
