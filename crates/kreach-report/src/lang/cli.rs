//! The command line's own messages (errors, warnings, notes on stderr), in
//! each language. The details they carry (a parser's error, a path, an I/O
//! error) are shown as they are.

use std::fmt::Display;

use kreach_collect::live::LiveError;
use kreach_collect::{BadObject, LoadError, Problem};
use kreach_core::policy::PolicyError;
use kreach_core::snapshot::{NotRead, Warning};
use kreach_core::target::TargetError;

use super::Lang;

/// One message of the command line.
pub enum Msg<'a> {
    BadTarget(&'a TargetError),
    BadSince(&'a str),
    BadNow(&'a str, &'a dyn Display),
    BadProtocol(&'a str),
    /// `kreach serve --expire-continue` that is neither a count nor `all`.
    BadExpireContinue(&'a str),
    /// A snapshot or path that cannot be loaded.
    Load(&'a LoadError),
    /// The cluster cannot be read.
    Live(&'a LiveError),
    /// `kreach policy` cannot answer.
    Policy(&'a PolicyError),
    Warning(&'a Warning),
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
    NotCollected(&'a str, &'a NotRead),
    SingleFileHasNoManifest,
    /// `kreach snapshot -o -` with stdout on a terminal.
    ArchiveToTerminal,
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
        Msg::BadTarget(e) => format!("bad target: {}", en_target(e)),
        Msg::BadSince(s) => format!("bad --since {s:?}: use a duration such as 24h, 90m or 2d"),
        Msg::BadNow(s, e) => {
            format!("bad --now {s:?}: {e} (use RFC 3339, e.g. 2026-11-20T12:00:00Z)")
        }
        Msg::BadProtocol(p) => format!("bad --protocol {p:?}"),
        Msg::BadExpireContinue(v) => {
            format!("bad --expire-continue {v:?}: a number of requests, or all")
        }
        Msg::Load(e) => en_load(e),
        Msg::Live(e) => en_live(e),
        Msg::Policy(e) => en_policy(e),
        Msg::Warning(w) => format!("warning: {}", en_warning(w)),
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
        Msg::NotCollected(r, why) => format!("not collected: {r}: {}", super::en::not_read(why)),
        Msg::ArchiveToTerminal => "-o - writes a .tar.gz archive to stdout, which is a terminal: redirect it (-o - > snap.tar.gz, | ssh …) or give a file name".into(),
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
        Msg::BadTarget(e) => format!("目标无效：{}", zh_target(e)),
        Msg::BadSince(s) => format!("--since {s:?} 无效：请用 24h、90m、2d 这样的时长"),
        Msg::BadNow(s, e) => {
            format!("--now {s:?} 无效：{e}（请用 RFC 3339 格式，例如 2026-11-20T12:00:00Z）")
        }
        Msg::BadProtocol(p) => format!("--protocol {p:?} 无效"),
        Msg::BadExpireContinue(v) => format!("--expire-continue {v:?} 无效：应为请求个数或 all"),
        Msg::Load(e) => zh_load(e),
        Msg::Live(e) => zh_live(e),
        Msg::Policy(e) => zh_policy(e),
        Msg::Warning(w) => format!("警告：{}", zh_warning(w)),
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
        Msg::NotCollected(r, why) => format!("未采集：{r}：{}", super::zh::not_read(why)),
        Msg::ArchiveToTerminal => "-o - 会把 .tar.gz 归档写到标准输出，而标准输出是终端：请重定向（-o - > snap.tar.gz、| ssh …）或给出文件名".into(),
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

const FORMS: &str = "svc/NAME, service/NAME, ing/NAME, ingress/NAME, pod/NAME, deploy/NAME, http(s)://HOST[:PORT]/PATH or IP:PORT";

fn en_target(e: &TargetError) -> String {
    match e {
        TargetError::Empty => format!("empty target: expected {FORMS}"),
        TargetError::UnknownKind { kind, input } => {
            format!("unknown target kind {kind:?} in {input:?}: expected {FORMS}")
        }
        TargetError::InvalidName { name, input } => format!(
            "invalid object name {name:?} in {input:?}: names are lowercase letters, digits, '-' and '.'"
        ),
        TargetError::UnclosedBracket { input } => format!("unclosed '[' in {input:?}"),
        TargetError::NotIpv6 { ip, input } => format!("{ip:?} is not an IPv6 address in {input:?}"),
        TargetError::AfterBracket { after, input } => {
            format!("unexpected {after:?} after ']' in {input:?}")
        }
        TargetError::UnbracketedIpv6 { input } => {
            format!("write IPv6 addresses in brackets, as [2001:db8::1]:443, in {input:?}")
        }
        TargetError::InvalidPort { port, input } => {
            format!("invalid port {port:?} in {input:?}: a number from 1 to 65535")
        }
        TargetError::InvalidHost { host, input } => format!("invalid host {host:?} in {input:?}"),
        TargetError::NoPort { input } => {
            format!("address {input:?} has no port: write IP:PORT, e.g. {input}:80")
        }
        TargetError::Unreadable { input } => {
            format!("cannot read target {input:?}: expected {FORMS}")
        }
    }
}

fn zh_target(e: &TargetError) -> String {
    match e {
        TargetError::Empty => format!("目标为空：应为 {FORMS}"),
        TargetError::UnknownKind { kind, input } => {
            format!("{input:?} 中的目标类型 {kind:?} 不认识：应为 {FORMS}")
        }
        TargetError::InvalidName { name, input } => {
            format!("{input:?} 中的对象名 {name:?} 无效：名称只能包含小写字母、数字、'-' 和 '.'")
        }
        TargetError::UnclosedBracket { input } => format!("{input:?} 中的 '[' 没有闭合"),
        TargetError::NotIpv6 { ip, input } => format!("{input:?} 中的 {ip:?} 不是 IPv6 地址"),
        TargetError::AfterBracket { after, input } => {
            format!("{input:?} 中 ']' 后面多了 {after:?}")
        }
        TargetError::UnbracketedIpv6 { input } => {
            format!("{input:?}：IPv6 地址要写在方括号里，例如 [2001:db8::1]:443")
        }
        TargetError::InvalidPort { port, input } => {
            format!("{input:?} 中的端口 {port:?} 无效：应为 1 到 65535 之间的数字")
        }
        TargetError::InvalidHost { host, input } => format!("{input:?} 中的主机名 {host:?} 无效"),
        TargetError::NoPort { input } => {
            format!("地址 {input:?} 没有端口：请写成 IP:PORT，例如 {input}:80")
        }
        TargetError::Unreadable { input } => format!("无法识别目标 {input:?}：应为 {FORMS}"),
    }
}

fn en_policy(e: &PolicyError) -> String {
    match e {
        PolicyError::BadEnd { input } => format!(
            "cannot read {input:?}: expected pod/NAMESPACE/NAME, NAMESPACE/NAME or an IP address"
        ),
        PolicyError::PoliciesNotRead(why) => format!(
            "the snapshot has no NetworkPolicies to judge: {}",
            super::en::not_read(why)
        ),
        PolicyError::PodNotFound { namespace, name } => {
            format!("pod {namespace}/{name} not found in the snapshot")
        }
    }
}

fn zh_policy(e: &PolicyError) -> String {
    match e {
        PolicyError::BadEnd { input } => {
            format!("无法识别 {input:?}：应为 pod/NAMESPACE/NAME、NAMESPACE/NAME 或 IP 地址")
        }
        PolicyError::PoliciesNotRead(why) => format!(
            "没有可供判断的网络策略（NetworkPolicy）：{}",
            super::zh::not_read(why)
        ),
        PolicyError::PodNotFound { namespace, name } => {
            format!("快照中没有 Pod {namespace}/{name}")
        }
    }
}

fn en_load(e: &LoadError) -> String {
    use kreach_collect::Syntax;
    match e {
        LoadError::Read { path, message } => format!("cannot read {path}: {message}"),
        LoadError::Parse {
            path,
            line,
            column,
            syntax,
            message,
        } => {
            let syntax = match syntax {
                Syntax::Yaml => "YAML",
                Syntax::Json => "JSON",
            };
            format!("{}: invalid {syntax}: {message}", at(path, line, column))
        }
        LoadError::Archive { path, message } => format!("{path}: invalid archive: {message}"),
        LoadError::Manifest { path, message } => {
            format!("{path}: invalid snapshot manifest: {message}")
        }
        LoadError::NoObjects { path, found } => {
            let what = if found.go_fields {
                format!(
                    ": it holds Go struct fields ({}), not the API's (kind, metadata, spec): print the objects with `kubectl get -o yaml`",
                    found.keys.join(", ")
                )
            } else if found.kindless > 0 {
                format!(
                    ": {} mapping(s) without a kind, with keys {} (a Helm values file, or another tool's output?)",
                    found.kindless,
                    found.keys.join(", ")
                )
            } else if found.not_objects > 0 {
                format!(": {} value(s) that are not objects", found.not_objects)
            } else {
                String::new()
            };
            format!("{path}: no Kubernetes objects found{what}")
        }
        LoadError::Undecodable { path, line, object } => {
            let BadObject {
                object,
                field,
                problem,
            } = &**object;
            let field = if field.is_empty() {
                String::new()
            } else {
                format!("{field}: ")
            };
            let problem = match problem {
                Problem::Invalid(m) => m.clone(),
                Problem::KindCase { written, kind } => {
                    format!("no kind {written:?} (kinds are case-sensitive: {kind}?)")
                }
            };
            format!("{}: {object}: {field}{problem}", at(path, line, &None))
        }
    }
}

fn en_live(e: &LiveError) -> String {
    match e {
        LiveError::Config(m) => format!("no cluster configuration: {m}"),
        LiveError::Unreachable(m) => format!("the API server is unreachable: {m}"),
        LiveError::Unauthorized(m) => format!("the API server refused the credentials: {m}"),
    }
}

fn zh_load(e: &LoadError) -> String {
    use kreach_collect::Syntax;
    match e {
        LoadError::Read { path, message } => format!("无法读取 {path}：{message}"),
        LoadError::Parse {
            path,
            line,
            column,
            syntax,
            message,
        } => {
            let syntax = match syntax {
                Syntax::Yaml => "YAML",
                Syntax::Json => "JSON",
            };
            let at = match (line, column) {
                (Some(l), Some(c)) if *c > 0 => format!("{path}:{l}:{c}"),
                (Some(l), _) => format!("{path}:{l}"),
                _ => path.clone(),
            };
            format!("{at}：{syntax} 格式错误：{message}")
        }
        LoadError::Archive { path, message } => format!("{path}：归档文件无效：{message}"),
        LoadError::Manifest { path, message } => format!("{path}：快照清单无效：{message}"),
        LoadError::NoObjects { path, found } => {
            let what = if found.go_fields {
                format!(
                    "：其中是 Go 结构体的字段（{}），不是 API 的字段（kind、metadata、spec）：请用 `kubectl get -o yaml` 导出对象",
                    found.keys.join("、")
                )
            } else if found.kindless > 0 {
                format!(
                    "：有 {} 个没有 kind 的映射，键为 {}（是 Helm values 文件或其他工具的输出吗？）",
                    found.kindless,
                    found.keys.join("、")
                )
            } else if found.not_objects > 0 {
                format!("：有 {} 个不是对象的值", found.not_objects)
            } else {
                String::new()
            };
            format!("{path}：没有找到任何 Kubernetes 对象{what}")
        }
        LoadError::Undecodable { path, line, object } => {
            let BadObject {
                object,
                field,
                problem,
            } = &**object;
            let field = if field.is_empty() {
                String::new()
            } else {
                format!("{field}：")
            };
            let problem = match problem {
                Problem::Invalid(m) => format!("无法解码：{m}"),
                Problem::KindCase { written, kind } => {
                    format!("没有 {written:?} 这种 kind（kind 区分大小写：是 {kind} 吗？）")
                }
            };
            format!("{}：{object}：{field}{problem}", at(path, line, &None))
        }
    }
}

fn zh_live(e: &LiveError) -> String {
    match e {
        LiveError::Config(m) => format!("没有可用的集群配置：{m}"),
        LiveError::Unreachable(m) => format!("无法连接 API Server：{m}"),
        LiveError::Unauthorized(m) => format!("API Server 拒绝了凭据：{m}"),
    }
}

fn at(path: &str, line: &Option<u64>, column: &Option<u64>) -> String {
    match (line, column) {
        (Some(l), Some(c)) if *c > 0 => format!("{path}:{l}:{c}"),
        (Some(l), _) => format!("{path}:{l}"),
        _ => path.to_string(),
    }
}

fn en_warning(w: &Warning) -> String {
    match w {
        Warning::ObjectSkipped {
            source,
            object,
            error,
        } => format!("{source}: {object}: {error} (skipped)"),
        Warning::FileUnreadable { path, message } => {
            format!("cannot read {path}: {message} (file skipped)")
        }
        Warning::FileInvalid {
            path,
            line,
            column,
            syntax,
            message,
        } => format!(
            "{}: invalid {syntax}: {message} (file skipped)",
            at(path, line, column)
        ),
        Warning::FileSkipped { path, message } => format!("{path}: {message} (file skipped)"),
        Warning::Kindless { path, count: 1 } => {
            format!("{path}: skipped 1 document without a Kubernetes kind")
        }
        Warning::Kindless { path, count } => {
            format!("{path}: skipped {count} documents without a Kubernetes kind")
        }
        Warning::BundleErrors { file, count, first } => {
            let more = if *count > 1 {
                format!(" (and {} more)", count - 1)
            } else {
                String::new()
            };
            format!("{file}: the bundle recorded {count} collection error(s): {first}{more}")
        }
        Warning::UnknownMissingKind { path, kind } => {
            format!("{path}: unknown kind {kind:?} in missing (ignored)")
        }
        Warning::ConflictingCopies {
            object,
            first,
            second,
        } => format!(
            "{second}: {object} differs from its copy in {first} (another uid or content): the copy in {first} is used"
        ),
    }
}

fn zh_warning(w: &Warning) -> String {
    match w {
        Warning::ObjectSkipped {
            source,
            object,
            error,
        } => format!("{source}：{object}：{error}（已跳过）"),
        Warning::FileUnreadable { path, message } => {
            format!("无法读取 {path}：{message}（已跳过该文件）")
        }
        Warning::FileInvalid {
            path,
            line,
            column,
            syntax,
            message,
        } => format!(
            "{}：{syntax} 格式错误：{message}（已跳过该文件）",
            at(path, line, column)
        ),
        Warning::FileSkipped { path, message } => format!("{path}：{message}（已跳过该文件）"),
        Warning::Kindless { path, count } => {
            format!("{path}：跳过了 {count} 个没有 Kubernetes kind 的文档")
        }
        Warning::BundleErrors { file, count, first } => {
            format!("{file}：诊断包记录了 {count} 个采集错误，第一个是：{first}")
        }
        Warning::UnknownMissingKind { path, kind } => {
            format!("{path}：清单的 missing 中有不认识的类型 {kind:?}（已忽略）")
        }
        Warning::ConflictingCopies {
            object,
            first,
            second,
        } => format!(
            "{second}：{object} 与 {first} 中的副本不同（uid 或内容不同）：使用 {first} 中的副本"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kreach_collect::Found;

    fn has_cjk(s: &str) -> bool {
        s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
    }

    /// Every error the command line can print has its own Chinese wording
    /// (not the English one passed through).
    #[test]
    fn every_error_reads_in_both_languages() {
        let i = || "x".to_string();
        let targets = [
            TargetError::Empty,
            TargetError::UnknownKind {
                kind: i(),
                input: i(),
            },
            TargetError::InvalidName {
                name: i(),
                input: i(),
            },
            TargetError::UnclosedBracket { input: i() },
            TargetError::NotIpv6 {
                ip: i(),
                input: i(),
            },
            TargetError::AfterBracket {
                after: i(),
                input: i(),
            },
            TargetError::UnbracketedIpv6 { input: i() },
            TargetError::InvalidPort {
                port: i(),
                input: i(),
            },
            TargetError::InvalidHost {
                host: i(),
                input: i(),
            },
            TargetError::NoPort { input: i() },
            TargetError::Unreadable { input: i() },
        ];
        let not_read = [
            NotRead::Forbidden {
                can_i: "kubectl auth can-i list pods -n shop".into(),
                message: String::new(),
            },
            NotRead::Forbidden {
                can_i: "kubectl auth can-i list pods -n shop".into(),
                message: i(),
            },
            NotRead::NotServed,
            NotRead::Failed { message: i() },
            NotRead::ContinueExpired { relists: 3 },
            NotRead::NotInClusterInfoDump {
                kind: kreach_core::Kind::NetworkPolicy,
            },
            NotRead::BundleErrors {
                file: i(),
                first: i(),
                more: 2,
            },
            NotRead::NotInBundle { file: i() },
            NotRead::BundleHoldsNoSecrets,
            NotRead::Recorded {
                reason: String::new(),
            },
            NotRead::Recorded { reason: i() },
            NotRead::Undecodable {
                file: i(),
                object: i(),
                field: "spec.ports[0].port".into(),
                error: i(),
            },
            NotRead::NotInDump {
                holder: kreach_core::snapshot::Holder::File,
                evidence: kreach_core::snapshot::DumpEvidence::PodsOnAbsentNodes {
                    nodes: vec!["n1".into(), "n2".into()],
                    more: 1,
                },
            },
            NotRead::NotInDump {
                holder: kreach_core::snapshot::Holder::Directory,
                evidence: kreach_core::snapshot::DumpEvidence::GetAll,
            },
            NotRead::NotInDump {
                holder: kreach_core::snapshot::Holder::File,
                evidence: kreach_core::snapshot::DumpEvidence::NoNodes,
            },
            NotRead::NotInDump {
                holder: kreach_core::snapshot::Holder::File,
                evidence: kreach_core::snapshot::DumpEvidence::ReadyReplicasWithoutPods {
                    workload: "Deployment shop/web".into(),
                    ready: 2,
                    more: 3,
                },
            },
            NotRead::NotInDump {
                holder: kreach_core::snapshot::Holder::Directory,
                evidence: kreach_core::snapshot::DumpEvidence::OnlySomeKinds {
                    kinds: vec![kreach_core::Kind::Pod, kreach_core::Kind::Service],
                },
            },
        ];
        let policy = [
            PolicyError::BadEnd { input: i() },
            PolicyError::PoliciesNotRead(NotRead::NotServed),
            PolicyError::PodNotFound {
                namespace: i(),
                name: i(),
            },
        ];
        let load = [
            LoadError::Read {
                path: i(),
                message: i(),
            },
            LoadError::Parse {
                path: i(),
                line: Some(3),
                column: Some(1),
                syntax: kreach_collect::Syntax::Yaml,
                message: i(),
            },
            LoadError::Archive {
                path: i(),
                message: i(),
            },
            LoadError::Manifest {
                path: i(),
                message: i(),
            },
            LoadError::NoObjects {
                path: i(),
                found: Found::default(),
            },
            LoadError::NoObjects {
                path: i(),
                found: Found {
                    kindless: 1,
                    keys: vec!["Kind".into(), "ObjectMeta".into()],
                    go_fields: true,
                    not_objects: 0,
                },
            },
            LoadError::NoObjects {
                path: i(),
                found: Found {
                    kindless: 2,
                    keys: vec!["replicaCount".into(), "image".into()],
                    go_fields: false,
                    not_objects: 0,
                },
            },
            LoadError::NoObjects {
                path: i(),
                found: Found {
                    not_objects: 3,
                    ..Found::default()
                },
            },
            LoadError::Undecodable {
                path: i(),
                line: Some(12),
                object: Box::new(BadObject {
                    object: i(),
                    field: "spec.ports[0].port".into(),
                    problem: Problem::Invalid(i()),
                }),
            },
            LoadError::Undecodable {
                path: i(),
                line: None,
                object: Box::new(BadObject {
                    object: i(),
                    field: "kind".into(),
                    problem: Problem::KindCase {
                        written: "service".into(),
                        kind: "Service",
                    },
                }),
            },
        ];
        let live = [
            LiveError::Config(i()),
            LiveError::Unreachable(i()),
            LiveError::Unauthorized(i()),
        ];
        let mut msgs: Vec<Msg<'_>> = Vec::new();
        msgs.extend(targets.iter().map(Msg::BadTarget));
        msgs.extend(not_read.iter().map(|r| Msg::NotCollected("pods", r)));
        msgs.extend(policy.iter().map(Msg::Policy));
        msgs.extend(load.iter().map(Msg::Load));
        msgs.extend(live.iter().map(Msg::Live));
        let warnings = [
            Warning::ObjectSkipped {
                source: i(),
                object: i(),
                error: i(),
            },
            Warning::FileUnreadable {
                path: i(),
                message: i(),
            },
            Warning::FileInvalid {
                path: i(),
                line: Some(2),
                column: None,
                syntax: "YAML",
                message: i(),
            },
            Warning::FileSkipped {
                path: i(),
                message: i(),
            },
            Warning::Kindless {
                path: i(),
                count: 2,
            },
            Warning::BundleErrors {
                file: i(),
                count: 3,
                first: i(),
            },
            Warning::UnknownMissingKind {
                path: i(),
                kind: i(),
            },
            Warning::ConflictingCopies {
                object: i(),
                first: i(),
                second: i(),
            },
        ];
        msgs.extend(warnings.iter().map(Msg::Warning));
        msgs.push(Msg::ArchiveToTerminal);
        msgs.push(Msg::BadExpireContinue("x"));
        for e in &load {
            assert_eq!(msg(Lang::En, &Msg::Load(e)), e.to_string());
        }
        for e in &live {
            assert_eq!(msg(Lang::En, &Msg::Live(e)), e.to_string());
        }
        for m in &msgs {
            let (en, zh) = (msg(Lang::En, m), msg(Lang::Zh, m));
            assert!(!has_cjk(&en) && has_cjk(&zh), "{en} / {zh}");
            assert!(!en.contains('\n') && !zh.contains('\n'), "{en} / {zh}");
        }
        // The English words of the details do not leak into the Chinese.
        for r in &not_read {
            let zh = msg(Lang::Zh, &Msg::NotCollected("pods", r));
            for w in ["forbidden", "bundle recorded", "does not", "could not"] {
                assert!(!zh.contains(w), "{zh}");
            }
        }
    }
}
