# Everyday commands (https://github.com/casey/just); CI runs the same ones.

# Run kreach on the bundled example snapshot.
example:
    cargo run --release --bin kreach -- diagnose http://store.example.org/ --snapshot examples/store-cluster.yaml

# Every test (installs kubectl and script when missing).
test:
    bash .ci/test

lint:
    cargo clippy --workspace --all-targets -- -D warnings
    cargo fmt --all --check

# The public acceptance scenarios (../shared, PyYAML) against a release build.
acceptance:
    cargo build --release --bin kreach
    ../shared/bin/acceptance --kreach target/release/kreach ../shared/scenarios

# Everything CI runs.
ci:
    bash .ci/run
