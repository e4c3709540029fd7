//! The command line's own messages (errors, warnings, notes on stderr), in
//! each language. The details they carry (a parser's error, a path, an I/O
//! error) are shown as they are.

use std::fmt::Display;

use super::Lang;

/// One message of the command line.
pub enum Msg<'a> {
    BadTarget(&'a dyn Display),
    BadSince(&'a str),
    BadNow(&'a str, &'a dyn Display),
    BadProtocol(&'a str),
    /// A snapshot, a path or a query that cannot be used.
    Input(&'a dyn Display),
    Warning(&'a dyn Display),
    ProbesOffWithSnapshot,
    ClusterProbeNotBuilt,
    CannotWrite(&'a dyn Display, &'a dyn Display),
    CannotWriteReport(&'a dyn Display),
    CannotWriteAnswer(&'a dyn Display),
    CannotStartRuntime(&'a dyn Display),
    CannotListen(&'a dyn Display, &'a dyn Display),
    ServerStopped(&'a dyn Display),
    /// `kreach snapshot` wrote `objects` objects (`bytes`) of a namespace
    /// (None: all namespaces) to a path.
    Wrote {
        objects: usize,
        bytes: u64,
        namespace: Option<&'a str>,
        path: &'a dyn Display,
    },
    NotCollected(&'a str, &'a dyn Display),
    SingleFileHasNoManifest,
    NotLoopback(&'a dyn Display),
    Serving {
        objects: usize,
        path: &'a dyn Display,
        addr: &'a dyn Display,
        kubeconfig: Option<&'a dyn Display>,
    },
}

/// The message, without the `kreach: ` prefix.
pub fn msg(lang: Lang, m: &Msg<'_>) -> String {
    match lang {
        Lang::En => en(m),
        Lang::Zh => zh(m),
    }
}

fn en(m: &Msg<'_>) -> String {
    match m {
        Msg::BadTarget(e) => format!("bad target: {e}"),
        Msg::BadSince(s) => format!("bad --since {s:?}: use a duration such as 24h, 90m or 2d"),
        Msg::BadNow(s, e) => {
            format!("bad --now {s:?}: {e} (use RFC 3339, e.g. 2026-11-20T12:00:00Z)")
        }
        Msg::BadProtocol(p) => format!("bad --protocol {p:?}"),
        Msg::Input(e) => e.to_string(),
        Msg::Warning(w) => format!("warning: {w}"),
        Msg::ProbesOffWithSnapshot => "note: probes are off with --snapshot (a snapshot's addresses are not this machine's network)".into(),
        Msg::ClusterProbeNotBuilt => "--cluster-probe: in-cluster probes are not implemented yet".into(),
        Msg::CannotWrite(p, e) => format!("cannot write {p}: {e}"),
        Msg::CannotWriteReport(e) => format!("cannot write the report: {e}"),
        Msg::CannotWriteAnswer(e) => format!("cannot write the answer: {e}"),
        Msg::CannotStartRuntime(e) => format!("cannot start the runtime: {e}"),
        Msg::CannotListen(a, e) => format!("cannot listen on {a}: {e}"),
        Msg::ServerStopped(e) => format!("the server stopped: {e}"),
        Msg::Wrote {
            objects,
            bytes,
            namespace,
            path,
        } => {
            let scope = match namespace {
                Some(ns) => format!("namespace {ns}"),
                None => "all namespaces".into(),
            };
            format!("wrote {objects} objects of {scope} ({bytes} bytes, redacted) to {path}")
        }
        Msg::NotCollected(r, why) => format!("not collected: {r}: {why}"),
        Msg::SingleFileHasNoManifest => "note: a single file has no manifest (collection time, kinds not collected); write FILE.tar.gz to keep it".into(),
        Msg::NotLoopback(a) => format!(
            "warning: serving on {a} — not loopback: anyone who reaches it can read the snapshot"
        ),
        Msg::Serving {
            objects,
            path,
            addr,
            kubeconfig,
        } => match kubeconfig {
            Some(k) => format!(
                "serving {objects} objects of {path} read-only on http://{addr} (kubeconfig in {k}; Ctrl-C stops)"
            ),
            None => format!(
                "serving {objects} objects of {path} read-only on http://{addr} (Ctrl-C stops); kubeconfig:"
            ),
        },
    }
}

fn zh(m: &Msg<'_>) -> String {
    match m {
        Msg::BadTarget(e) => format!("目标无效：{e}"),
        Msg::BadSince(s) => format!("--since {s:?} 无效：请用 24h、90m、2d 这样的时长"),
        Msg::BadNow(s, e) => {
            format!("--now {s:?} 无效：{e}（请用 RFC 3339 格式，例如 2026-11-20T12:00:00Z）")
        }
        Msg::BadProtocol(p) => format!("--protocol {p:?} 无效"),
        Msg::Input(e) => e.to_string(),
        Msg::Warning(w) => format!("警告：{w}"),
        Msg::ProbesOffWithSnapshot => {
            "提示：使用 --snapshot 时不发送探测（快照中的地址不属于本机网络）".into()
        }
        Msg::ClusterProbeNotBuilt => "--cluster-probe：集群内探测尚未实现".into(),
        Msg::CannotWrite(p, e) => format!("无法写入 {p}：{e}"),
        Msg::CannotWriteReport(e) => format!("无法输出报告：{e}"),
        Msg::CannotWriteAnswer(e) => format!("无法输出结果：{e}"),
        Msg::CannotStartRuntime(e) => format!("无法启动运行时：{e}"),
        Msg::CannotListen(a, e) => format!("无法监听 {a}：{e}"),
        Msg::ServerStopped(e) => format!("服务已停止：{e}"),
        Msg::Wrote {
            objects,
            bytes,
            namespace,
            path,
        } => {
            let scope = match namespace {
                Some(ns) => format!("命名空间 {ns}"),
                None => "所有命名空间".into(),
            };
            format!("已把{scope}的 {objects} 个对象（{bytes} 字节，已脱敏）写入 {path}")
        }
        Msg::NotCollected(r, why) => format!("未采集：{r}：{why}"),
        Msg::SingleFileHasNoManifest => {
            "提示：单个文件不带清单（采集时间、未采集的资源类型）；写成 FILE.tar.gz 可以保留".into()
        }
        Msg::NotLoopback(a) => {
            format!("警告：监听在 {a}，不是回环地址：任何能访问到它的人都能读取这份快照")
        }
        Msg::Serving {
            objects,
            path,
            addr,
            kubeconfig,
        } => match kubeconfig {
            Some(k) => format!(
                "以只读方式在 http://{addr} 上提供 {path} 中的 {objects} 个对象（kubeconfig 在 {k}；按 Ctrl-C 停止）"
            ),
            None => format!(
                "以只读方式在 http://{addr} 上提供 {path} 中的 {objects} 个对象（按 Ctrl-C 停止）；kubeconfig："
            ),
        },
    }
}
