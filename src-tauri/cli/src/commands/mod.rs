//! One function per command, grouped by what they do. Each returns a [`Report`] or a [`UserError`].

mod delete;
mod history;
mod key;
pub mod lint;
mod money;
mod people;
mod quote_words;
mod refresh;
mod resolve;
mod submit;
mod submit_list;
mod team;
mod transfer;

use std::time::Duration;

use collect_core::UserError;

use crate::context::Context;
use crate::output::{Output, Report};
use crate::{Cli, Command};

use delete::delete;
use history::{act, jobs, send_again, show};
use key::key;
use money::{ledger, preview};
use people::people;
use submit::{estimate, submit};
use transfer::{download, wait};

/// Runs the command named on the command line.
pub async fn run(cli: &Cli, output: &Output) -> Result<Report, UserError> {
    let context = match &cli.command {
        // Key commands touch the keychain (and, for the plan, the settings in the data folder).
        Command::Key(command) => return key(cli, command),
        _ => Context::open(cli)?,
    };
    match &cli.command {
        Command::Key(command) => key(cli, command),
        // `main` runs lint itself: it prints its own list and decides the exit code.
        Command::Lint { .. } => Err(UserError::new(
            collect_core::ErrorCode::Internal,
            "lint is run on its own.",
        )),
        Command::Estimate {
            query,
            limit,
            new_only,
        } => estimate(&context, query, *limit, *new_only).await,
        Command::Submit(args) => submit(&context, args, output).await,
        Command::Resolve { file, column, to } => {
            resolve::resolve(&context, file, column.as_deref(), to.as_deref(), output).await
        }
        Command::Refresh {
            job,
            yes,
            yes_over_cap,
            max_credits,
            again,
        } => {
            let answers = (*yes, *yes_over_cap, *max_credits);
            refresh::refresh(&context, *job, answers, *again, output).await
        }
        Command::Jobs => jobs(&context),
        Command::Show { job } => show(&context, *job),
        Command::Wait { job, timeout } => {
            wait(&context, *job, timeout.map(Duration::from_secs), output).await
        }
        Command::Download { job, to } => download(&context, *job, to.as_deref(), output).await,
        Command::Cancel { .. } | Command::Retry { .. } | Command::Attach { .. } => {
            act(&context, &cli.command)
        }
        Command::SendAgain {
            job,
            yes,
            yes_over_cap,
            max_credits,
        } => send_again(&context, *job, (*yes, *yes_over_cap, *max_credits), output).await,
        Command::Preview { query, yes } => preview(&context, query, *yes, output).await,
        Command::Ledger => ledger(&context),
        Command::Team(command) => team::team(&context, command).await,
        Command::Delete {
            job,
            forget_people,
            yes,
        } => delete(&context, *job, *forget_people, *yes, output),
        Command::People { search, page } => people(&context, search.as_deref(), *page),
        Command::Export(args) => crate::export::export(&context, args).await,
    }
}
