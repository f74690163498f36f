//! A person's whole flow through the real CLI — submit, download (which waits, downloads, checks,
//! renames and makes the spreadsheet), export — driven from what the database says, so that after
//! any crash it is simply run again, the way a person would: re-run the command that died, and
//! take one of the two documented ways out of `uncertain` (attach the request id the dashboard
//! shows, or send again when the dashboard shows none).

use std::path::{Path, PathBuf};
use std::time::Duration;

use coresignal_sim::Simulator;

use super::killed::{jobs, CliTarget, Ran};

/// Where to kill the next CLI run, if anywhere.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    /// A kill point, `<point>:<n>`.
    pub at: Option<String>,
    /// Or a kill at a moment: this long after the start.
    pub after: Option<Duration>,
}

/// The flow's fixed inputs.
pub struct Flow {
    /// How the CLI is started.
    pub target: CliTarget,
    /// The query file.
    pub query: PathBuf,
    /// The `--limit`.
    pub limit: u32,
}

/// What a flow did.
#[derive(Debug, Default)]
pub struct Story {
    /// The commands run, in order (`download 1`, …), with `†<point>` after each one killed.
    pub commands: Vec<String>,
    /// Kill points reached (the child stopped there and was killed).
    pub kills: Vec<String>,
    /// The job that ended the flow.
    pub job: i64,
    /// Its final state.
    pub state: String,
}

impl Flow {
    /// Where the CSV export goes.
    pub fn export_dir(&self) -> PathBuf {
        self.target.data_dir.join("export")
    }

    /// The CSV export, once made (hidden temporary files aside).
    pub fn export_file(&self) -> Option<PathBuf> {
        std::fs::read_dir(self.export_dir())
            .ok()?
            .flatten()
            .map(|entry| entry.path())
            .find(|path| {
                path.extension().is_some_and(|ext| ext == "csv")
                    && !path
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
    }

    /// Runs the flow to its end. `plan` is asked before each command (its name, and how many
    /// kills happened so far) where to kill it.
    pub async fn run(&self, sim: &Simulator, mut plan: impl FnMut(&str, usize) -> Plan) -> Story {
        let mut story = Story::default();
        let mut died: Option<Vec<String>> = None;
        for _ in 0..40 {
            let all = jobs(&self.target.data_dir);
            let args: Vec<String> = match (died.take(), all.last()) {
                // A person re-runs the command that died (a submit is not: its price was spent,
                // and the job it made, if any, is in the history).
                (Some(args), _) if args[0] != "--json" => args,
                (_, None) => self.submit_args(),
                (_, Some((id, state, _))) => {
                    story.job = *id;
                    story.state = state.clone();
                    match state.as_str() {
                        "downloaded" if self.export_file().is_some() => return story,
                        "downloaded" => self.export_args(*id),
                        "uncertain" => way_out(*id, &all, sim),
                        "submitting" | "processing" | "ready" | "downloading" => {
                            vec!["download".into(), id.to_string()]
                        }
                        _ => return story, // a final state: the checks say whether it is right
                    }
                }
            };
            let name = args
                .iter()
                .find(|a| !a.starts_with("--"))
                .cloned()
                .unwrap_or_default();
            let Plan { at, after } = plan(&name, story.kills.len());
            let target = self.target.clone();
            let again = args.clone();
            let ran = tokio::task::spawn_blocking(move || {
                let args: Vec<&str> = again.iter().map(String::as_str).collect();
                target.run(&args, at.as_deref(), after)
            })
            .await
            .expect("the CLI runner");
            match ran {
                Ran::Killed { point } => {
                    died = Some(args);
                    story.commands.push(format!("{name} †{point}"));
                    story.kills.push(point);
                }
                Ran::Finished(_) => story.commands.push(name),
            }
        }
        panic!(
            "the flow did not end after 40 commands: {:?}",
            story.commands
        );
    }

    fn submit_args(&self) -> Vec<String> {
        [
            "--json",
            "submit",
            "--query",
            &self.query.to_string_lossy(),
            "--limit",
            &self.limit.to_string(),
            "--name",
            "kill points",
            "--yes",
        ]
        .map(str::to_owned)
        .to_vec()
    }

    /// The arguments of the CSV export of job `id` into [`Flow::export_dir`].
    pub fn export_args(&self, id: i64) -> Vec<String> {
        let to = self.export_dir().to_string_lossy().into_owned();
        ["export", &id.to_string(), "--format", "csv", "--to", &to]
            .map(str::to_owned)
            .to_vec()
    }
}

/// The way out of `uncertain` a person takes: attach the request the dashboard shows that no job
/// holds, or send again when there is none.
fn way_out(id: i64, all: &[(i64, String, Option<String>)], sim: &Simulator) -> Vec<String> {
    let held: Vec<&str> = all.iter().filter_map(|(_, _, r)| r.as_deref()).collect();
    let unheld = sim
        .requests()
        .into_iter()
        .map(|request| request.id)
        .find(|request| !held.contains(&request.as_str()));
    match unheld {
        Some(request) => vec![
            "attach".into(),
            id.to_string(),
            "--request-id".into(),
            request,
        ],
        None => vec!["send-again".into(), id.to_string(), "--yes".into()],
    }
}

/// Every file under `dir` carrying a final name: not in `.partial`, not a hidden temporary file.
pub fn final_files(dir: &Path) -> Vec<PathBuf> {
    crate::files_under(dir)
        .into_iter()
        .filter(|path| !path.components().any(|c| c.as_os_str() == ".partial"))
        .filter(|path| {
            !path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect()
}
