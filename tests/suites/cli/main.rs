//! The CLI binary, run as a script would run it, against the real simulator: `--json` answers,
//! confirmation rules, exit codes, and the keychain.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::path::Path;
use std::process::{Command, Stdio};

use bulk_collect_tests::*;
use coresignal_sim::{Endpoint, DEFAULT_PRACTICE_KEY};

mod flow;
mod key;
mod refusals;
