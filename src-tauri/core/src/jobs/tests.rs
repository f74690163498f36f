//! Unit tests of the engine's rules that need no service: a real SQLite file in a temporary
//! folder, an engine with no key and an address nothing answers on.

use std::time::Duration;

use crate::api::{ApiConfig, RateLimiter, RetryPolicy};
use crate::error::{Coded, ErrorCode};
use crate::ids::parse_id_list;
use crate::secrets::ApiKey;
use crate::store::Store;

use super::*;

pub(super) fn engine(dir: &std::path::Path) -> std::sync::Arc<Engine> {
    let store = Store::open(&Store::default_path(dir)).unwrap();
    let api = ApiConfig {
        base_url: "http://127.0.0.1:9/cdapi".into(),
        ..ApiConfig::default()
    };
    let options = EngineOptions::new(Mode::Practice, api, dir.join("downloads"));
    Engine::new(store, options, None, RateLimiter::new(27)).unwrap()
}

/// An engine over a new database in `dir`, talking to `base` with a short retry policy and a
/// fast poll schedule.
pub(super) fn engine_at(dir: &std::path::Path, base: &str) -> std::sync::Arc<Engine> {
    let store = Store::open(&Store::default_path(dir)).unwrap();
    let api = ApiConfig {
        base_url: base.into(),
        retry: RetryPolicy {
            max_attempts: 2,
            max_rate_limited_attempts: 2,
            base_delay: Duration::from_millis(10),
            max_delay: Duration::from_millis(50),
        },
        ..ApiConfig::default()
    };
    let options = EngineOptions {
        poll: PollSchedule {
            first: Duration::from_millis(20),
            factor: 1.5,
            max: Duration::from_millis(200),
        },
        ..EngineOptions::new(Mode::Practice, api, dir.join("downloads"))
    };
    Engine::new(
        store,
        options,
        Some(ApiKey::new("test-key")),
        RateLimiter::new(27),
    )
    .unwrap()
}

pub(super) fn ids(text: &str) -> NewJob {
    NewJob {
        name: Some("ids".into()),
        request: JobRequest::Ids {
            report: parse_id_list(text.as_bytes()).unwrap(),
            source_file: None,
            split: false,
            list: None,
        },
        webhook_url: None,
    }
}

/// A job in `submitting`, as a process that died before its POST leaves it.
pub(super) async fn orphan(engine: &Engine) -> crate::store::JobRow {
    let quote = engine.quote(&ids("1\n2\n3\n")).await.unwrap();
    let job = engine
        .store()
        .spend_quote(Mode::Practice, quote.id, "gone", "gone", Duration::ZERO)
        .unwrap()
        .unwrap();
    // Its process has ended (it held the lease in an earlier boot).
    engine
        .store()
        .end_lease_holder(&crate::store::submit_lease(job.id));
    job
}

#[tokio::test]
async fn a_submission_that_cannot_be_sent_spends_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let quote = engine.quote(&ids("1\n2\n")).await.unwrap();
    assert_eq!((quote.records, quote.credits), (2, 2));
    let error = engine.submit(quote.id, false).await.unwrap_err();
    assert_eq!(error.code(), ErrorCode::KeyRejected, "no key is set");
    assert!(
        engine.jobs().unwrap().is_empty(),
        "the quote is still unspent"
    );
    let row = engine.store().quote(Mode::Practice, quote.id).unwrap();
    assert_eq!(row.spent_at, None);
}

#[tokio::test]
async fn recovery_ends_the_grant_of_the_submitter_it_takes_for_dead() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let job = orphan(&engine).await;
    let resource = crate::store::submit_lease(job.id);
    // The submitter's grant, as a paused process holds it while recovery runs elsewhere.
    let paused = engine.store().held_lease(&resource, "gone").unwrap();
    assert!(engine.store().lease_current(&paused).unwrap());
    engine.recover().unwrap();
    assert_eq!(engine.job(job.id).unwrap().state, JobState::Uncertain);
    // When it wakes, its send gate is closed and its heartbeat finds the lease lost: the person
    // may press Send again without a second POST from the paused process.
    assert!(!engine.store().lease_current(&paused).unwrap());
    assert!(matches!(
        engine.store().renew_lease(&paused, Duration::from_secs(30)),
        Err(crate::store::StoreError::LeaseLost { .. })
    ));
}

#[tokio::test]
async fn a_cancelled_job_cannot_be_moved_on_by_a_late_answer() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let job = orphan(&engine).await;
    engine.store().set_request_id(job.id, "r-1").unwrap();
    engine.recover().unwrap();
    assert_eq!(engine.job(job.id).unwrap().state, JobState::Processing);
    engine.cancel(job.id).unwrap();
    for late in [
        JobState::Ready,
        JobState::Downloading,
        JobState::Downloaded,
        JobState::Processing,
    ] {
        let moved = engine
            .store()
            .move_state(job.id, &JobState::ALL, late, None, None)
            .unwrap();
        assert!(moved.is_none(), "cancelled → {late:?} must be refused");
    }
    assert_eq!(
        engine.retry(job.id).unwrap_err().code(),
        ErrorCode::InvalidState
    );
    assert_eq!(
        engine.cancel(job.id).unwrap_err().code(),
        ErrorCode::InvalidState
    );
    assert!(engine.detail(job.id).unwrap().actions.is_empty());
}

#[tokio::test]
async fn the_journal_restores_a_request_id_once_however_often_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let job = orphan(&engine).await;
    engine.journal_accepted(job.id, "req-from-journal").unwrap();
    engine.journal_accepted(job.id, "req-from-journal").unwrap();
    engine.recover().unwrap();
    engine.recover().unwrap();
    let row = engine.job(job.id).unwrap();
    assert_eq!(row.state, JobState::Processing);
    assert_eq!(row.request_id.as_deref(), Some("req-from-journal"));
    let moves = engine
        .store()
        .events(job.id)
        .unwrap()
        .into_iter()
        .filter(|event| event.to_state == Some(JobState::Processing))
        .count();
    assert_eq!(moves, 1);
}

#[cfg(unix)]
#[tokio::test]
async fn the_journal_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let job = orphan(&engine).await;
    engine.journal_accepted(job.id, "req-private").unwrap();
    let journal = engine.journal_path().unwrap();
    let mode = std::fs::metadata(journal).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[tokio::test]
async fn a_request_id_the_journal_brings_after_a_cancel_offers_the_paid_download() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let job = orphan(&engine).await;
    engine.recover().unwrap();
    engine.cancel(job.id).unwrap(); // A person cancelled it while it was uncertain.
    engine.journal_accepted(job.id, "req-late").unwrap();
    engine.recover().unwrap();
    engine.recover().unwrap();
    let detail = engine.detail(job.id).unwrap();
    assert_eq!(detail.job.state, JobState::Cancelled);
    assert_eq!(detail.job.request_id.as_deref(), Some("req-late"));
    assert_eq!(detail.actions, vec![JobAction::DownloadPaid]);
    assert_eq!(
        engine.retry(job.id).unwrap().state,
        JobState::Processing,
        "Download it"
    );

    // Cancelled again, now that the request is known: the store refuses the way back itself.
    engine.cancel(job.id).unwrap();
    let back = engine
        .store()
        .move_state(
            job.id,
            &[JobState::Cancelled],
            JobState::Processing,
            None,
            None,
        )
        .unwrap();
    assert!(back.is_none());
    assert!(engine.detail(job.id).unwrap().actions.is_empty());
}

#[tokio::test]
async fn attach_takes_only_what_looks_like_a_request_id_and_only_for_an_uncertain_job() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let job = orphan(&engine).await;
    assert_eq!(
        engine.attach(job.id, "abc").unwrap_err().code(),
        ErrorCode::InvalidState,
        "still submitting"
    );
    engine.recover().unwrap();
    assert_eq!(engine.job(job.id).unwrap().state, JobState::Uncertain);
    for bad in ["", "   ", "a b", "x/../y", &"x".repeat(201)] {
        assert_eq!(
            engine.attach(job.id, bad).unwrap_err().code(),
            ErrorCode::InvalidInput
        );
    }
    let attached = engine.attach(job.id, " 6f1c2d3e-0a1b ").unwrap();
    assert_eq!(attached.state, JobState::Processing);
    assert_eq!(attached.request_id.as_deref(), Some("6f1c2d3e-0a1b"));
}

#[tokio::test]
async fn a_poll_scheduled_on_the_monotonic_clock_is_not_due_before_its_time() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let job = orphan(&engine).await;
    engine
        .schedule_poll(job.id, Duration::from_secs(30), false)
        .unwrap();
    let row = engine.job(job.id).unwrap();
    assert!(engine.due_in(&row) > Duration::from_secs(25));
    engine.forget_due(job.id);
    // Without this process's schedule, the stored time decides (a restart).
    assert!(engine.due_in(&row) > Duration::from_secs(25));
}

/// Item "a paid request is never stranded": a submitter paused mid-POST for longer than its lease
/// (its expiry long past, its process alive) keeps its job; recovery takes it only once the
/// process has ended.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn recovery_never_declares_a_living_paused_submitter_dead() {
    let dir = tempfile::tempdir().unwrap();
    let engine = engine(dir.path());
    let quote = engine.quote(&ids("1\n2\n3\n")).await.unwrap();
    let job = engine
        .store()
        .spend_quote(
            Mode::Practice,
            quote.id,
            "paused",
            "paused cli",
            Duration::ZERO,
        )
        .unwrap()
        .unwrap();
    let mut paused = std::process::Command::new("sleep")
        .arg("600")
        .spawn()
        .unwrap();
    let lease = crate::store::submit_lease(job.id);
    engine.store().hand_lease_to(&lease, paused.id());
    for _ in 0..3 {
        engine.recover().unwrap();
        assert_eq!(engine.job(job.id).unwrap().state, JobState::Submitting);
    }
    paused.kill().unwrap();
    paused.wait().unwrap();
    engine.recover().unwrap();
    assert_eq!(engine.job(job.id).unwrap().state, JobState::Uncertain);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_long_list_is_read_and_kept_without_holding_up_the_other_tasks() {
    use crate::lists::{HeaderChoice, ListRow, ListTable};
    let dir = tempfile::tempdir().unwrap();
    let engine = engine_at(dir.path(), "http://127.0.0.1:9/cdapi");
    let rows: Vec<ListRow> = (0..200_000)
        .map(|i| ListRow {
            row: i + 1,
            cells: vec![format!("{}", 100_000_000 + i), format!("A-{i}")],
        })
        .collect();
    let table = ListTable {
        source: "ids.csv".into(),
        sheet: None,
        total_rows: rows.len(),
        rows,
    };
    let started = std::time::Instant::now();
    // The list is priced on the runtime's one worker; a heartbeat needs that worker too.
    let priced = tokio::spawn(async move {
        let priced = engine
            .quote_list(&table, HeaderChoice::None, 0, Purchase::Everyone, &|_| {})
            .await
            .unwrap();
        (priced, started.elapsed())
    });
    let beat = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(5)).await;
        started.elapsed()
    });
    let (priced, done) = priced.await.unwrap();
    let beat = beat.await.unwrap();
    assert!(
        beat < done,
        "the heartbeat waited {beat:?} for the list ({done:?})"
    );
    assert_eq!(priced.resolved.ids.len(), 200_000);
}
