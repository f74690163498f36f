//! `delete`: a finished job leaves the history list (its row stays for the credit ledger); its
//! downloaded files are not touched; with `--forget-people`, the people only it brought are
//! forgotten from the people library.

use std::io::IsTerminal;

use collect_core::{ErrorCode, UserError};
use serde_json::json;

use super::submit::ask;
use crate::context::Context;
use crate::output::{Output, Report};

/// Deletes job `id` after asking (unless `yes`).
pub(super) fn delete(
    context: &Context,
    id: i64,
    forget_people: bool,
    yes: bool,
    output: &Output,
) -> Result<Report, UserError> {
    let engine = context.reader()?;
    let job = engine.job(id)?;
    let people = if forget_people {
        "the people only it brought are forgotten from your people library"
    } else {
        "its people stay in your people library (add --forget-people to forget those only it brought)"
    };
    let question = format!(
        "Delete collection {id} “{}” from the list? Its downloaded files are not touched; {people}.",
        job.name
    );
    if yes {
        output.say(&question);
    } else if output.is_json() || !std::io::stdin().is_terminal() {
        return Err(UserError::new(
            ErrorCode::InvalidInput,
            format!("{question} Nothing was deleted: add --yes to confirm."),
        ));
    } else if !ask(&format!("{question} Delete it? [y/N] "))? {
        return Err(UserError::new(ErrorCode::Declined, "Nothing was deleted."));
    }
    let deleted = engine.delete(id, !forget_people)?;
    let text = match deleted.people_forgotten {
        0 => format!("Collection {id} was deleted from the list."),
        1 => format!(
            "Collection {id} was deleted from the list; 1 person only it brought was forgotten."
        ),
        n => format!(
            "Collection {id} was deleted from the list; {} people only it brought were forgotten.",
            collect_core::jobs::group(n)
        ),
    };
    Ok(Report {
        json: json!({"job": id, "deleted": true, "people_forgotten": deleted.people_forgotten}),
        text,
    })
}
