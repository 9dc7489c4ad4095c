//! The schema's command line, for an application to wire into its own binary (feature
//! `cli`): only the application's binary links its models, so only it can print their DDL,
//! draw them, or plan, check and migrate a database against them.
//!
//! The one line, first thing in `main`, before the application starts a runtime of its own:
//!
//! ```no_run
//! fn main() -> std::process::ExitCode {
//!     if let Some(code) = sqlx_table::cli::run_if_requested() {
//!         return code;
//!     }
//!     // ... the application itself
//!     std::process::ExitCode::SUCCESS
//! }
//! ```
//!
//! `app diagram`, `app check`, … then run the command ([`SUBCOMMANDS`]) and exit; any other
//! arguments are left to the application. An application whose own subcommands clash, or
//! that wants them under a word of its own (`app db check`), calls [`run`] with the
//! arguments it chose, and one that is nothing but this command line calls [`main`].
//!
//! | command | what it does | database |
//! |---|---|---|
//! | `ddl [--dialect D]` | prints the `CREATE` statements of every model | no |
//! | `diagram [--dialect D] [--format mermaid\|dot] [--live]` | the ER diagram of the models (or, `--live`, of the database) | only with `--live` |
//! | `plan` | what differs between the models and the database, each change classified | reads |
//! | `check` | as `plan`, exit code 1 when anything differs: for CI | reads |
//! | `migrate` | applies the plan's safe changes, says what it left | writes |
//! | `migration [--dir DIR] [NAME]` | writes the plan as an sqlx migration file | reads |
//! | `create` | creates the missing tables (`create_all`) | writes |
//! | `drop [--yes]` | drops the models' tables, after a confirmation on a terminal | writes |
//!
//! The database is `--database-url URL` (`-D`) or the `DATABASE_URL` environment variable,
//! as in sqlx-cli: `postgres://`, `mysql://` (or `mariadb://`) or `sqlite:`, for the
//! backends whose feature is on. Without one, `ddl` and `diagram` need `--dialect`, unless a
//! single backend is compiled in. Output is text for people; with `--json`, one JSON object
//! on stdout for scripts (errors too: `{"error": …, "exit_code": …}`). On a terminal, the
//! steps of the commands that touch the database are shown on stderr as they start.
//!
//! The JSON of each command, one object (keys may be added, never renamed):
//!
//! - `ddl`: `{"dialect", "statements": [{"table", "sql"}]}`
//! - `diagram`: `{"format": "mermaid"|"dot", "source": "models"|"database", "dialect", "tables", "text"}`
//! - `plan`, `check`: `{"dialect", "drift", "steps": [{"table", "class": "safe"|"needs_person"|"unknown", "change", "reason"}], "sql"}`
//! - `migrate`: `{"applied": [step], "statements": [{"table", "sql"}], "left": {plan}, "round_trips"}`
//! - `migration`: `{"files": [path], "steps"}`
//! - `create`: `{"created": [table], "existing": [table], "statements": [{"table", "sql"}]}`
//! - `drop`: `{"dropped": [table]}`
//! - any error: `{"error", "exit_code"}`
//!
//! Exit codes: [`exit::OK`] 0, [`exit::DRIFT`] 1 (`check` found differences),
//! [`exit::USAGE`] 2 (bad arguments, no URL, `drop` without a terminal or `--yes`),
//! [`exit::ERROR`] 3 (the database, the models or a file failed), [`exit::NOT_CONFIRMED`] 4
//! (`drop` was answered no).

mod calls;
mod commands;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

/// The exit codes.
pub mod exit {
    /// Done; for `check`, the database is what the models describe.
    pub const OK: u8 = 0;
    /// `check`: the database differs from the models.
    pub const DRIFT: u8 = 1;
    /// Bad arguments, no database URL, or `drop` with neither a terminal nor `--yes`.
    pub const USAGE: u8 = 2;
    /// The database, the models or a file failed.
    pub const ERROR: u8 = 3;
    /// `drop` was not confirmed at its prompt.
    pub const NOT_CONFIRMED: u8 = 4;
}

/// The subcommands, as [`run_if_requested`] recognises them in the first argument.
pub const SUBCOMMANDS: &[&str] = &[
    "ddl",
    "diagram",
    "plan",
    "check",
    "migrate",
    "migration",
    "create",
    "drop",
];

/// Runs the command line when the first argument is one of [`SUBCOMMANDS`], and returns
/// its exit code; `None` leaves the arguments to the application. Starts a runtime of its
/// own: call it before the application's, not from inside an async `main` (there, use
/// [`run_async`]).
pub fn run_if_requested() -> Option<ExitCode> {
    let args: Vec<OsString> = std::env::args_os().collect();
    let requested = args
        .get(1)
        .and_then(|a| a.to_str())
        .is_some_and(|a| SUBCOMMANDS.contains(&a));
    requested.then(|| run(args))
}

/// Runs the command line on this process's arguments: for a binary that is nothing else.
pub fn main() -> ExitCode {
    run(std::env::args_os())
}

/// Runs the command line on `args`, the first being the program's name, as
/// `std::env::args_os()` gives them. Starts a runtime of its own; from async code, use
/// [`run_async`].
pub fn run<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    match runtime {
        Ok(runtime) => runtime.block_on(run_async(args)),
        Err(e) => {
            eprintln!("error: can't start a runtime: {e}");
            ExitCode::from(exit::ERROR)
        }
    }
}

/// [`run`], on the caller's Tokio runtime.
pub async fn run_async<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    let json = cli.json;
    let outcome = commands::execute(cli).await;
    let (code, text, value) = match outcome {
        Ok(done) => (done.code, done.text, done.json),
        Err(failure) => {
            let code = failure.code();
            let message = failure.to_string();
            eprintln!("error: {message}");
            let value = serde_json::json!({ "error": message, "exit_code": code });
            (code, String::new(), value)
        }
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
    } else {
        print!("{text}");
    }
    ExitCode::from(code)
}

/// The schema of this application's models: its DDL, its ER diagram, and the database
/// compared with it, migrated to it, created or dropped.
#[derive(Debug, Parser)]
#[command(
    after_help = "Exit codes: 0 ok, 1 check found differences, 2 usage, 3 error, 4 drop not confirmed."
)]
struct Cli {
    /// One JSON object on stdout, for scripts, instead of text for people.
    #[arg(long, global = true)]
    json: bool,
    /// The database: postgres://…, mysql://… or sqlite:….
    #[arg(
        long = "database-url",
        short = 'D',
        global = true,
        env = "DATABASE_URL",
        hide_env_values = true
    )]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the statements that create every model on an empty database (no database).
    Ddl {
        /// The dialect; default: the database URL's, or the only backend compiled in.
        #[arg(long, value_enum)]
        dialect: Option<DialectArg>,
    },
    /// Draw the models (or, with --live, the database) as an ER diagram.
    Diagram {
        /// The dialect whose column types to show; default: the database URL's, or the only
        /// backend compiled in.
        #[arg(long, value_enum)]
        dialect: Option<DialectArg>,
        /// Mermaid erDiagram text, or Graphviz DOT.
        #[arg(long, value_enum, default_value_t = Format::Mermaid)]
        format: Format,
        /// Draw what the database holds instead, with its catalog's types.
        #[arg(long)]
        live: bool,
    },
    /// Show what differs between the models and the database, each change classified.
    Plan,
    /// As plan, and exit with 1 when anything differs.
    Check,
    /// Apply the plan's safe changes; say what is left for a person.
    Migrate,
    /// Write the plan as an sqlx migration file (safe changes as statements, the rest for a
    /// person, commented out).
    Migration {
        /// The migrations folder.
        #[arg(long, default_value = "migrations")]
        dir: std::path::PathBuf,
        /// The migration's name, after its version in the file name.
        #[arg(default_value = "schema")]
        name: String,
    },
    /// Create the models' missing tables.
    Create,
    /// Drop the models' tables: asks on a terminal, else needs --yes.
    Drop {
        /// Drop without asking.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DialectArg {
    Postgres,
    Sqlite,
    Mysql,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Mermaid,
    Dot,
}
