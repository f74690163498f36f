//! Settings: a small key/value table. Never holds the API key.

use rusqlite::{params, OptionalExtension};

use super::{Store, StoreResult};

/// The settings the app keeps. Each has a fixed key in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    /// Credits one delivered profile costs (1 on the product page; newer pricing says 10).
    CreditsPerRecord,
    /// The rate limit: requests per second per endpoint.
    RequestsPerSecond,
    /// The service's base URL (live mode).
    ApiBase,
    /// The folder under which each job gets its own folder.
    DownloadRoot,
    /// A manual proxy URL.
    Proxy,
    /// The last `x-credits-remaining` the service sent (live mode).
    LastBalanceLive,
    /// The last `x-credits-remaining` the simulator sent (practice mode).
    LastBalancePractice,
    /// The UI theme.
    Theme,
    /// How many jobs download at once.
    MaxDownloads,
    /// Whether a spreadsheet is made after each download ("1" or "0").
    ExportAfterDownload,
    /// The mode the user chose last (unset on first run).
    Mode,
    /// How many batches of one collection are with the service at once.
    BatchesAtOnce,
    /// Past positions the spreadsheet after a download gives columns.
    PastPositions,
    /// Whether the app asks for a newer version at start ("1" or "0").
    CheckForUpdates,
    /// Credits one preview (a page of 20 sample people) costs.
    PreviewCredits,
    /// The most credits one request may spend without a second confirmation (unset: no limit).
    CreditCap,
    /// What one credit costs in money: `0.02 EUR` (unset: not shown).
    PricePerCredit,
    /// When the last balance was seen (live mode), RFC 3339.
    LastBalanceAtLive,
    /// When the last balance was seen (practice mode), RFC 3339.
    LastBalanceAtPractice,
    /// "1" once the person said which Coresignal plan they are on (unset: Live prices assume).
    CreditsPlanKnown,
    /// The team library's `postgres://` address (never with a password; unset: no team library).
    TeamAddress,
    /// The name colleagues see on this person's collections in the team library.
    TeamName,
    /// When something was last published to the team library, RFC 3339.
    TeamLastPublished,
}

impl Setting {
    fn key(self) -> &'static str {
        match self {
            Setting::CreditsPerRecord => "credits_per_record",
            Setting::RequestsPerSecond => "requests_per_second",
            Setting::ApiBase => "api_base",
            Setting::DownloadRoot => "download_root",
            Setting::Proxy => "proxy",
            Setting::LastBalanceLive => "last_balance_live",
            Setting::LastBalancePractice => "last_balance_practice",
            Setting::Theme => "theme",
            Setting::MaxDownloads => "max_downloads",
            Setting::ExportAfterDownload => "export_after_download",
            Setting::Mode => "mode",
            Setting::BatchesAtOnce => "batches_at_once",
            Setting::PastPositions => "past_positions",
            Setting::CheckForUpdates => "check_for_updates",
            Setting::PreviewCredits => "preview_credits",
            Setting::CreditCap => "credit_cap",
            Setting::PricePerCredit => "price_per_credit",
            Setting::LastBalanceAtLive => "last_balance_at_live",
            Setting::LastBalanceAtPractice => "last_balance_at_practice",
            Setting::CreditsPlanKnown => "credits_plan_known",
            Setting::TeamAddress => "team_address",
            Setting::TeamName => "team_name",
            Setting::TeamLastPublished => "team_last_published",
        }
    }
}

impl Store {
    /// Reads a setting; `None` when it was never set.
    pub fn setting(&self, setting: Setting) -> StoreResult<Option<String>> {
        Ok(self
            .lock()
            .query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [setting.key()],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Writes a setting.
    pub fn set_setting(&self, setting: Setting, value: &str) -> StoreResult<()> {
        self.lock().execute(
            "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![setting.key(), value],
        )?;
        Ok(())
    }

    /// Removes a setting (back to its default).
    pub fn clear_setting(&self, setting: Setting) -> StoreResult<()> {
        self.lock()
            .execute("DELETE FROM settings WHERE key = ?1", [setting.key()])?;
        Ok(())
    }

    /// Reads a numeric setting, falling back to `default` when unset or unreadable.
    pub fn setting_u32(&self, setting: Setting, default: u32) -> StoreResult<u32> {
        Ok(self
            .setting(setting)?
            .and_then(|value| value.parse().ok())
            .unwrap_or(default))
    }
}
