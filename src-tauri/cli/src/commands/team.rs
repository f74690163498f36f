//! `team status` and `team publish`, and publishing after a download.

use collect_core::jobs::{Engine, Mode};
use collect_core::{ErrorCode, UserError};
use serde_json::json;

use crate::context::Context;
use crate::output::Report;
use crate::TeamCommand;

/// Runs a `team` command: both need `--team-db` (or `BULK_COLLECT_TEAM_DB`).
pub(super) async fn team(context: &Context, command: &TeamCommand) -> Result<Report, UserError> {
    if context.team()?.is_none() {
        return Err(UserError::new(
            ErrorCode::InvalidInput,
            "No team library is given. Pass --team-db postgres://user@host/database (or set BULK_COLLECT_TEAM_DB), with the password in PGPASSWORD.",
        ));
    }
    if matches!(command, TeamCommand::Publish) && context.mode == Mode::Practice {
        return Ok(Report {
            json: json!({"published": {"collections": 0, "people": 0}, "practice": true}),
            text: "Nothing was published: Practice never shares with the team library (its people are made up). Only collections made with your Coresignal key go to it.".to_owned(),
        });
    }
    let engine = context.engine()?;
    if let TeamCommand::Publish = command {
        let published = engine.publish_to_team().await?;
        return Ok(Report {
            json: json!({"published": published}),
            text: format!(
                "Published {} collections ({} people) to the team library.",
                published.collections, published.people
            ),
        });
    }
    let status = engine.team_status(true).await?;
    Ok(Report {
        json: serde_json::to_value(&status).unwrap_or_else(|_| json!({})),
        text: status.summary.clone(),
    })
}

/// After a download: publishes what waits, and says how it went (`None` without a team library).
pub(super) async fn publish_after(engine: &Engine) -> Option<serde_json::Value> {
    engine.team()?;
    let summary = match engine.publish_to_team().await {
        Ok(published) if published.collections > 0 => format!(
            "Published to the team library: {} people.",
            published.people
        ),
        Ok(_) => "Nothing new for the team library.".to_owned(),
        Err(error) => format!(
            "Not published to the team library yet (it is kept and sent next time): {error}"
        ),
    };
    let status = engine.team_status(false).await.ok();
    Some(json!({"summary": summary, "status": status}))
}
