//! `kreach`: see the library (`src/lib.rs`) for the program.

fn main() -> std::process::ExitCode {
    kreach::main()
}
