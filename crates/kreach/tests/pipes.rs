//! Closed pipes (issue 11 item 6): a reader that went away on stdout or
//! stderr (`kreach … | head`, `2>&-` in a supervisor that closed its end)
//! ends the run quietly with the exit status the result gives, never a
//! panic (101).

use std::io::{PipeReader, PipeWriter};
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn kreach() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_kreach"));
    c.env_remove("KUBECONFIG").env("HOME", std::env::temp_dir());
    c
}

fn example() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/store-cluster.yaml")
}

/// A pipe whose reading end is already closed: every write to the other
/// end fails with EPIPE.
fn closed() -> PipeWriter {
    let (r, w): (PipeReader, PipeWriter) = std::io::pipe().unwrap();
    drop(r);
    w
}

fn status(cmd: &mut Command, stdout: Stdio, stderr: Stdio) -> Option<i32> {
    cmd.stdin(Stdio::null())
        .stdout(stdout)
        .stderr(stderr)
        .status()
        .unwrap()
        .code()
}

#[test]
fn a_closed_stdout_or_stderr_never_panics() {
    assert!(example().is_file(), "{}", example().display());
    let snap = example();
    let diag = |extra: &[&str]| {
        let mut c = kreach();
        c.args(["diagnose", "http://store.example.org/", "--snapshot"])
            .arg(&snap)
            .args(["--now", "2026-11-20T12:00:00Z"])
            .args(extra);
        c
    };
    // What the report gives with both streams open: the verdict's status.
    let open = status(&mut diag(&[]), Stdio::null(), Stdio::null());
    assert!(matches!(open, Some(0 | 1)), "{open:?}");
    for fmt in ["human", "json", "markdown", "dot"] {
        let args = ["-o", fmt];
        assert_eq!(
            status(&mut diag(&args), closed().into(), Stdio::null()),
            open,
            "-o {fmt}, stdout closed"
        );
        assert_eq!(
            status(&mut diag(&args), closed().into(), closed().into()),
            open,
            "-o {fmt}, both closed"
        );
    }
    // `--probe` with a snapshot says on stderr that probes stay off.
    assert_eq!(
        status(&mut diag(&["--probe"]), Stdio::null(), closed().into()),
        open,
        "stderr closed while a note is written"
    );
    // Errors are written on stderr: the status is still the documented one.
    let mut bad = kreach();
    bad.args(["diagnose", "svc/", "--snapshot"]).arg(&snap);
    assert_eq!(
        status(&mut bad, Stdio::null(), closed().into()),
        Some(2),
        "usage error, stderr closed"
    );
    let mut unreadable = kreach();
    unreadable.args([
        "diagnose",
        "svc/web",
        "--snapshot",
        "/nonexistent/kreach-snapshot",
    ]);
    assert_eq!(
        status(&mut unreadable, closed().into(), closed().into()),
        Some(2),
        "unreadable snapshot, both closed"
    );
    let mut unknown = kreach();
    unknown.args(["explain", "no-such-check"]);
    assert_eq!(
        status(&mut unknown, Stdio::null(), closed().into()),
        Some(2)
    );
    for args in [
        &["checks"][..],
        &["checks", "-o", "markdown"],
        &["explain", "networkpolicy-denies"],
    ] {
        let mut c = kreach();
        c.args(args);
        assert_eq!(
            status(&mut c, closed().into(), closed().into()),
            Some(0),
            "{args:?}"
        );
    }
    let mut policy = kreach();
    policy
        .args(["policy", "198.18.0.1", "198.18.0.2", "--snapshot"])
        .arg(&snap);
    let p_open = status(&mut policy, Stdio::null(), Stdio::null());
    assert!(matches!(p_open, Some(0..=2)), "{p_open:?}");
    assert_eq!(
        status(&mut policy, closed().into(), closed().into()),
        p_open
    );
}
