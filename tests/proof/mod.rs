//! The proof that nothing is lost or leaked: the real CLI killed at kill points and restarted
//! (`killed.rs`), a person's whole flow run again after each crash (`flow.rs`), and the promises
//! checked afterwards on the real files, database and simulator (`checks.rs`). Used by the
//! `kill_points` suite (`make test`) and the `soak` binary (`make soak`).

pub mod checks;
pub mod flow;
pub mod killed;
