//! `bulk-collect-cli`: Bulk Collect without a window, for automation and scripting.
//!
//! A thin layer over `collect-core`: it parses arguments, asks for confirmation, draws progress, and
//! prints either plain text or (with `--json`) one JSON object per command. A failure prints
//! `{"error": {"code", "message"}}` and exits non-zero.

mod commands;
mod context;
mod export;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Collect Coresignal employee data in bulk, from the command line.
#[derive(Debug, Parser)]
#[command(name = "bulk-collect-cli", version, about)]
struct Cli {
    /// The service's address. A loopback address (the simulator) keeps collections in the Practice history
    /// and is called with the simulator's own key: the key saved in the keychain goes only to
    /// Coresignal (any other address needs BULK_COLLECT_API_KEY).
    #[arg(long, global = true, env = "BULK_COLLECT_API_BASE")]
    api_base: Option<String>,
    /// Where the collection history is kept (default: the OS app-data folder).
    #[arg(long, global = true, env = "BULK_COLLECT_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// Print one JSON object per command on stdout.
    #[arg(long, global = true)]
    json: bool,
    /// The team library: a postgres:// address without a password (the password comes from
    /// PGPASSWORD). Live collections are published to it, and net-new prices skip the people it
    /// holds. TLS is required unless the server is on this computer.
    #[arg(long, global = true, env = "BULK_COLLECT_TEAM_DB", value_name = "URL")]
    team_db: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Store, check or remove the API key in the OS keychain.
    #[command(subcommand)]
    Key(KeyCommand),
    /// Check a query file without sending it: every problem as FILE:LINE:COLUMN: error|warning:
    /// message (with --json, {"diagnostics": [...]}). Exits 1 when the query has an error.
    Lint {
        /// A file holding the Elasticsearch DSL query (JSON).
        #[arg(long)]
        query: PathBuf,
    },
    /// Count the profiles a query matches and what collecting them costs (spends nothing).
    Estimate {
        /// A file holding the Elasticsearch DSL query (JSON).
        #[arg(long)]
        query: PathBuf,
        /// At most this many profiles (1–10,000).
        #[arg(long)]
        limit: Option<u32>,
        /// Price only the people not in your people library, or changed since you got them.
        #[arg(long)]
        new_only: bool,
    },
    /// See up to 20 sample people a query matches. Says what it costs and asks first when it costs
    /// credits, unless --yes.
    Preview {
        /// A file holding the Elasticsearch DSL query (JSON).
        #[arg(long)]
        query: PathBuf,
        /// Confirm spending the preview's credits without being asked.
        #[arg(long)]
        yes: bool,
    },
    /// Send a collection. Shows the cost and asks first, unless --yes.
    Submit(SubmitArgs),
    /// Find the employee IDs a list names: a column of IDs, LinkedIn profile addresses or short
    /// names in a CSV, TSV, TXT, XLSX, XLS or ODS file. Free (searches only); spends nothing.
    /// With --json: {"found", "not_found": [{"row", "value"}], "duplicates", "ids", …}.
    Resolve {
        /// The list.
        file: PathBuf,
        /// The column to read, by its name or letter (A, B, …); detected when not given.
        #[arg(long)]
        column: Option<String>,
        /// Also write each row found (row, value, employee ID) to this CSV file.
        #[arg(long, value_name = "OUT.csv")]
        to: Option<PathBuf>,
    },
    /// Collect a finished collection's search (or ID list) again, buying only who is new or changed since
    /// (the others come from your people library). Shows the cost and asks first, unless --yes.
    Refresh {
        /// The collection number.
        job: i64,
        /// Confirm spending the credits without being asked.
        #[arg(long)]
        yes: bool,
        /// Also confirm a price above your limit of credits per request.
        #[arg(long)]
        yes_over_cap: bool,
        /// Send nothing if the price is above this many credits.
        #[arg(long, value_name = "CREDITS")]
        max_credits: Option<u64>,
        /// Buy even people an earlier collection of this search may still bring (pay for them again).
        #[arg(long)]
        again: bool,
    },
    /// Credits spent in this history: each collection (measured or estimated), each month, the total.
    Ledger,
    /// The team library (--team-db): whether it answers, what waits to be published; sends what
    /// waits.
    #[command(subcommand)]
    Team(TeamCommand),
    /// List the collections in the history, newest first.
    Jobs,
    /// Show one collection: what it asked for, its state, files and audit trail.
    Show {
        /// The collection number.
        job: i64,
    },
    /// Wait until the service has the files of a collection (or gives a final answer).
    Wait {
        /// The collection number.
        job: i64,
        /// Give up waiting after this many seconds (the collection goes on).
        #[arg(long)]
        timeout: Option<u64>,
    },
    /// Stop a collection: no more polling or downloading (Coresignal may still charge what it had already received).
    Cancel {
        /// The collection number.
        job: i64,
    },
    /// Delete a finished collection from the list. Its downloaded files are not touched and what it cost
    /// stays in the ledger; its people stay in the people library unless --forget-people. Asks
    /// first, unless --yes.
    Delete {
        /// The collection number.
        job: i64,
        /// Also forget the people only this collection brought (people another collection brought stay).
        #[arg(long)]
        forget_people: bool,
        /// Delete without being asked.
        #[arg(long)]
        yes: bool,
    },
    /// Try a collection again where that cannot spend twice (after a top-up, a failed download, …).
    Retry {
        /// The collection number.
        job: i64,
    },
    /// Send an uncertain collection again, on a new price (the first may already be charged).
    SendAgain {
        /// The collection number.
        job: i64,
        /// Confirm without being asked.
        #[arg(long)]
        yes: bool,
        /// Also confirm a price above your limit of credits per request.
        #[arg(long)]
        yes_over_cap: bool,
        /// Send nothing if the price is above this many credits.
        #[arg(long, value_name = "CREDITS")]
        max_credits: Option<u64>,
    },
    /// Attach the request id you found on the Coresignal dashboard to an uncertain collection.
    Attach {
        /// The collection number.
        job: i64,
        /// The request id, as Coresignal shows it.
        #[arg(long)]
        request_id: String,
    },
    /// Download the files of a collection (waiting for them first if needed).
    Download {
        /// The collection number.
        job: i64,
        /// The folder to put them in (default: the collection's own folder under the download folder).
        #[arg(long)]
        to: Option<PathBuf>,
    },
    /// The people library on this computer (everyone downloaded): how many, the countries and
    /// companies most of them share, and a page of them by name. Needs no key.
    People {
        /// Only people with this text in their name, title, company or country (any case).
        #[arg(long)]
        search: Option<String>,
        /// Which page of 100 people (from 1).
        #[arg(long, default_value_t = 1)]
        page: u32,
    },
    /// Turn a downloaded collection's files into one spreadsheet (XLSX) or CSV, named after the collection.
    Export(export::ExportArgs),
}

#[derive(Debug, Subcommand)]
enum TeamCommand {
    /// Connect, set up its tables if needed, and say what it holds and what waits here.
    Status,
    /// Send the collections waiting in this computer's outbox now.
    Publish,
}

#[derive(Debug, Subcommand)]
enum KeyCommand {
    /// Read a key from standard input and store it in the OS keychain. On a terminal it then asks
    /// which Coresignal plan the account is on; until that is known (or measured), Live prices
    /// assume 10 credits a profile and say so.
    Set {
        /// Credits per profile on your plan (10 on plans from 2025 on, 1 on older ones), instead
        /// of being asked.
        #[arg(long, value_name = "CREDITS")]
        credits_per_profile: Option<u32>,
    },
    /// Say whether a key is stored (never prints it).
    Status,
    /// Remove the stored key.
    Clear,
}

#[derive(Debug, Args)]
struct SubmitArgs {
    /// A file holding the Elasticsearch DSL query (JSON).
    #[arg(long, conflicts_with = "ids", required_unless_present = "ids")]
    query: Option<PathBuf>,
    /// At most this many profiles (1–10,000); only with --query.
    #[arg(long, requires = "query")]
    limit: Option<u32>,
    /// A list of people: employee IDs, LinkedIn profile addresses or short names, in a CSV, TSV,
    /// TXT, XLSX, XLS or ODS file (addresses are looked up first, free).
    #[arg(long)]
    ids: Option<PathBuf>,
    /// With --ids: the column to read, by its name or letter (A, B, …); detected when not given.
    #[arg(long, requires = "ids")]
    column: Option<String>,
    /// An https:// address the service calls when the files are ready (the app still polls).
    #[arg(long)]
    webhook: Option<String>,
    /// A name for the collection in the history.
    #[arg(long)]
    name: Option<String>,
    /// Confirm spending the credits without being asked.
    #[arg(long)]
    yes: bool,
    /// Also confirm a price above your limit of credits per request (the Settings' cap).
    #[arg(long)]
    yes_over_cap: bool,
    /// Send nothing if the price is above this many credits (binds --yes to a figure in scripts).
    #[arg(long, value_name = "CREDITS")]
    max_credits: Option<u64>,
    /// Collect again data that an earlier collection collected in the last 30 days (pay for it again).
    #[arg(long)]
    again: bool,
    /// Send an ID list over 10,000 IDs as batches of at most 10,000 (one collection stands for them all;
    /// `wait`, `download` and `export` on it act on every batch).
    #[arg(long, requires = "ids")]
    split: bool,
    /// Buy only the people not in your people library, or changed since you got them; the
    /// others are skipped (and not paid for). What is sent is exactly the new and changed IDs.
    #[arg(long)]
    new_only: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BULK_COLLECT_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("bulk-collect-cli could not start: {error}");
            return ExitCode::FAILURE;
        }
    };
    let output = output::Output::new(cli.json);
    if let Command::Lint { query } = &cli.command {
        return commands::lint::lint(query, &output);
    }
    match runtime.block_on(commands::run(&cli, &output)) {
        Ok(value) => {
            output.result(&value);
            ExitCode::SUCCESS
        }
        Err(error) => {
            output.error(&error);
            ExitCode::FAILURE
        }
    }
}
