//! Jobs: quotes, the state machine persisted in SQLite, submission, and the one scheduler that
//! polls every active job and downloads its files.
//!
//! A request is sent only by spending a quote, which writes the job row *before* the POST (state
//! `submitting`); one quote makes at most one POST, across processes. A POST that may have reached
//! the service without an answer makes the job `uncertain`: it is never re-sent by itself. Every
//! state change goes through one guarded move ([`can_move`]), and is appended to the job's audit
//! trail with the key redacted.
//!
//! | file | duty |
//! |---|---|
//! | `state` | states, the transition table, the actions each state allows |
//! | `engine` | what every duty shares: store, client, options, updates |
//! | `quote` | pricing a request before it is confirmed |
//! | `quote_view` | what a person sees of a quote: figures, basis, shortfall, the question |
//! | `submit` | spending a quote (with its confirmations: again, over the cap) and POSTing once |
//! | `preview` | sample people, their cost said first and confirmed |
//! | `credits` | what a profile really costs, learnt from the balance around a delivery |
//! | `ledger` | credits spent per job and per month |
//! | `poll` | asking the service and recording its answer |
//! | `outage` | an accepted request whose service cannot be reached: the job waits, never fails |
//! | `batches` | collections: an ID list sent as batches, each sent once in its turn |
//! | `downloads` | fetching a job's files under its lease |
//! | `people` | a downloaded job's people kept in the people library |
//! | `team` | the team library: the link in use, queueing a Live job's people, publishing the outbox |
//! | `export` | a downloaded job's files as one spreadsheet export |
//! | `scheduler` | recovery after a stop, and the loop that polls and downloads |
//! | `journal` | guarded moves, the audit trail, the accepted-requests file |
//! | `lease` | a lease kept alive while work runs |
//! | `usecases` | list, detail, cancel, retry, attach |
//! | `waiting` | the typical wait, from this app's own requests |
//! | `notices` | when the desktop tells the person about a collection |
//! | `words` | a job's name when none was given; counts in plain English |

mod batches;
mod changes;
mod company_search;
mod copies;
mod credits;
mod delete;
mod downloads;
mod engine;
mod error;
mod export;
mod journal;
mod lease;
mod ledger;
mod net_new;
mod notices;
mod outage;
mod people;
mod person_list;
mod poll;
mod preview;
mod purchase_sheet;
mod quote;
mod quote_view;
mod rebuild;
mod refresh;
mod request;
mod schedule;
mod scheduler;
mod spreadsheet;
mod state;
mod submit;
mod team;
mod usecases;
mod waiting;
mod words;

#[cfg(test)]
mod delete_tests;
#[cfg(test)]
mod tests;

pub use batches::{batch_count, collection_actions, collection_state, BatchCount, BatchView};
pub use changes::{PersonChange, WhatChanged};
pub use company_search::CompanySearch;
pub use credits::{not_enough_credits, NotEnoughCredits};
pub use delete::Deleted;
pub use engine::{Engine, EngineOptions, JobUpdate};
pub use error::EngineError;
pub use ledger::{CreditLedger, LedgerKind, LedgerLine, LedgerMonth};
pub use net_new::{Purchase, MOST_LISTED};
pub use notices::{notice_for, Notice, Notices};
pub use outage::WAITING_FOR_SERVICE;
pub use person_list::ListQuote;
pub use preview::{Preview, PreviewQuote};
pub use quote::{EarlierJob, Quote, QUOTE_VALID_FOR};
pub use quote_view::practice_note;
pub use quote_view::SplitView;
pub use request::{fingerprint, JobRequest, NewJob};
pub use schedule::PollSchedule;
pub use state::{can_move, sources_of, JobAction, JobKind, JobState, Mode};
pub use submit::Confirmation;
pub use usecases::JobDetail;
pub use waiting::{median, typical_wait, TypicalWait};
pub use words::{collection_named, collection_title, group};
