//! Each subcommand: its text for people and its JSON for scripts, from one result.

use std::fmt::{self, Write as _};
use std::io::{BufRead, IsTerminal, Write as _};
use std::time::Instant;

use serde_json::{Value, json};
use sqlx::Pool;
use table_core::plan::{Class, Step};
use table_core::{Backend, Dialect, Models, Plan, Statement};

use super::{Cli, Command, DialectArg, Format, calls, exit};

/// A finished command: its exit code, its text and its JSON.
pub(super) struct Done {
    pub(super) code: u8,
    pub(super) text: String,
    pub(super) json: Value,
}

impl Done {
    fn ok(text: String, json: Value) -> Done {
        Done {
            code: exit::OK,
            text,
            json,
        }
    }
}

/// Why a command stopped.
pub(super) enum Failure {
    Usage(String),
    Error(String),
    NotConfirmed,
}

impl Failure {
    pub(super) fn code(&self) -> u8 {
        match self {
            Failure::Usage(_) => exit::USAGE,
            Failure::Error(_) => exit::ERROR,
            Failure::NotConfirmed => exit::NOT_CONFIRMED,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Usage(m) | Failure::Error(m) => f.write_str(m),
            Failure::NotConfirmed => f.write_str("not confirmed: nothing dropped"),
        }
    }
}

impl From<table_core::Error> for Failure {
    /// The error and every cause under it: the library's errors leave their source's text to
    /// `source()`, so the server's own message is only in the chain.
    fn from(e: table_core::Error) -> Failure {
        let mut message = e.to_string();
        let mut cause = std::error::Error::source(&e);
        while let Some(c) = cause {
            message.push_str(&format!("\ncaused by: {c}"));
            cause = c.source();
        }
        Failure::Error(message)
    }
}

/// Steps on stderr as they start, when stderr is a terminal: a person waiting sees what
/// is being waited for, and a script's output stays clean.
struct Progress {
    on: bool,
    start: Instant,
}

impl Progress {
    fn new() -> Progress {
        Progress {
            on: std::io::stderr().is_terminal(),
            start: Instant::now(),
        }
    }

    fn step(&self, what: &str) {
        if self.on {
            eprintln!("[{:>6.2}s] {what}…", self.start.elapsed().as_secs_f64());
        }
    }
}

pub(super) async fn execute(cli: Cli) -> Result<Done, Failure> {
    let schema = calls::models()?;
    let url = cli.database_url.filter(|u| !u.is_empty());
    match cli.command {
        Command::Ddl { dialect } => {
            let dialect = dialect_for(dialect, url.as_deref())?;
            Ok(ddl(&schema, dialect)?)
        }
        Command::Diagram {
            dialect,
            format,
            live: false,
        } => {
            let dialect = dialect_for(dialect, url.as_deref())?;
            let diagram = schema.diagram(dialect);
            Ok(drawn(&diagram, format, "models", Some(dialect)))
        }
        command => {
            let url = url.ok_or_else(|| {
                Failure::Usage("no database: give --database-url or set DATABASE_URL".to_owned())
            })?;
            on_database(&schema, &url, command).await
        }
    }
}

fn ddl(schema: &Models, dialect: Dialect) -> Result<Done, Failure> {
    let statements = calls::ddl(schema, dialect)?;
    Ok(Done::ok(
        table_core::dialect::script(&statements),
        json!({ "dialect": dialect_name(dialect), "statements": statements_json(&statements) }),
    ))
}

fn drawn(
    diagram: &table_core::Diagram,
    format: Format,
    source: &str,
    dialect: Option<Dialect>,
) -> Done {
    let text = match format {
        Format::Mermaid => diagram.mermaid(),
        Format::Dot => diagram.dot(),
    };
    let json = json!({
        "format": match format { Format::Mermaid => "mermaid", Format::Dot => "dot" },
        "source": source,
        "dialect": dialect.map(dialect_name),
        "tables": diagram.len(),
        "text": text,
    });
    Done::ok(text, json)
}

/// The dialect asked for, else the URL's, else the only one compiled in.
fn dialect_for(asked: Option<DialectArg>, url: Option<&str>) -> Result<Dialect, Failure> {
    if let Some(asked) = asked {
        return Ok(match asked {
            DialectArg::Postgres => Dialect::Postgres,
            DialectArg::Sqlite => Dialect::Sqlite,
            DialectArg::Mysql => Dialect::MySql,
        });
    }
    if let Some(url) = url {
        return url_dialect(url);
    }
    match compiled() {
        [only] => Ok(*only),
        _ => Err(Failure::Usage(
            "which dialect? give --dialect, --database-url or DATABASE_URL".to_owned(),
        )),
    }
}

fn compiled() -> &'static [Dialect] {
    &[
        #[cfg(feature = "postgres")]
        Dialect::Postgres,
        #[cfg(feature = "sqlite")]
        Dialect::Sqlite,
        #[cfg(feature = "mysql")]
        Dialect::MySql,
    ]
}

fn url_dialect(url: &str) -> Result<Dialect, Failure> {
    let scheme = url.split(':').next().unwrap_or("");
    match scheme {
        "postgres" | "postgresql" => Ok(Dialect::Postgres),
        "mysql" | "mariadb" => Ok(Dialect::MySql),
        "sqlite" => Ok(Dialect::Sqlite),
        _ => Err(Failure::Usage(format!(
            "{}: not a postgres://, mysql:// or sqlite: URL",
            masked(url)
        ))),
    }
}

fn dialect_name(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Postgres => "postgres",
        Dialect::Sqlite => "sqlite",
        Dialect::MySql => "mysql",
        other => other.name(),
    }
}

/// The URL with its password hidden, to show.
fn masked(url: &str) -> String {
    let Some(start) = url.find("://").map(|i| i + 3) else {
        return url.to_owned();
    };
    let rest = &url[start..];
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => match rest[..at].find(':') {
            Some(colon) => format!("{}{}:***{}", &url[..start], &rest[..colon], &rest[at..]),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

/// Connects to the URL's backend and runs the command there.
#[cfg_attr(
    not(any(feature = "postgres", feature = "sqlite", feature = "mysql")),
    allow(unused_variables)
)]
async fn on_database(schema: &Models, url: &str, command: Command) -> Result<Done, Failure> {
    let dialect = url_dialect(url)?;
    let progress = Progress::new();
    progress.step(&format!("connecting to {}", masked(url)));
    match dialect {
        #[cfg(feature = "postgres")]
        Dialect::Postgres => {
            let pool = connect::<sqlx::Postgres>(url).await?;
            database_command(schema, &pool, url, command, &progress).await
        }
        #[cfg(feature = "sqlite")]
        Dialect::Sqlite => {
            let pool = connect::<sqlx::Sqlite>(url).await?;
            database_command(schema, &pool, url, command, &progress).await
        }
        #[cfg(feature = "mysql")]
        Dialect::MySql => {
            let pool = connect::<sqlx::MySql>(url).await?;
            database_command(schema, &pool, url, command, &progress).await
        }
        #[allow(unreachable_patterns)] // every backend compiled in
        _ => Err(Failure::Usage(format!(
            "{}: this binary was built without the {} feature",
            masked(url),
            dialect_name(dialect)
        ))),
    }
}

#[allow(dead_code)] // unused when no backend feature is on
async fn connect<DB: Backend>(url: &str) -> Result<Pool<DB>, Failure> {
    Pool::<DB>::connect(url)
        .await
        .map_err(|e| Failure::Error(format!("connect to {}: {e}", masked(url))))
}

#[allow(dead_code)] // unused when no backend feature is on
async fn database_command<DB: Backend>(
    schema: &Models,
    pool: &Pool<DB>,
    url: &str,
    command: Command,
    progress: &Progress,
) -> Result<Done, Failure> {
    let dialect = DB::DIALECT;
    let done = match command {
        Command::Ddl { .. } => ddl(schema, dialect)?,
        Command::Diagram { format, live, .. } => {
            if live {
                progress.step("reading the catalog");
                let live = calls::live(schema, pool).await?;
                drawn(&live.diagram(), format, "database", None)
            } else {
                drawn(&schema.diagram(dialect), format, "models", Some(dialect))
            }
        }
        Command::Plan | Command::Check => {
            progress.step("reading the catalog and comparing");
            let plan = calls::plan(schema, pool).await?;
            let check = matches!(command, Command::Check);
            let mut text = if plan.is_empty() {
                "The database is what the models describe.\n".to_owned()
            } else {
                plan.to_string()
            };
            if !plan.is_empty() && !check {
                text.push_str("\n-- As SQL:\n");
                text.push_str(&plan.to_sql());
            }
            if check && !plan.is_empty() {
                let _ = writeln!(
                    text,
                    "\n{} difference(s): the database is not what the models describe.",
                    plan.len()
                );
            }
            Done {
                code: if check && !plan.is_empty() {
                    exit::DRIFT
                } else {
                    exit::OK
                },
                text,
                json: plan_json(&plan),
            }
        }
        Command::Migrate => {
            progress.step("planning, then applying the safe changes under the schema lock");
            let report = calls::migrate(schema, pool).await?;
            let mut text = String::new();
            if report.applied.is_empty() {
                text.push_str("Nothing safe to apply.\n");
            } else {
                let _ = writeln!(text, "Applied {} change(s):", report.applied.len());
                for step in &report.applied {
                    let _ = writeln!(text, "  {}: {}", step.table, step.describe(dialect));
                }
            }
            if !report.left.is_empty() {
                let _ = write!(text, "Left for a person:\n{}", report.left);
            }
            let json = json!({
                "applied": report.applied.iter().map(|s| step_json(s, dialect)).collect::<Vec<_>>(),
                "statements": statements_json(&report.statements),
                "left": plan_json(&report.left),
                "round_trips": report.round_trips,
            });
            Done::ok(text, json)
        }
        Command::Migration { dir, name } => {
            progress.step("reading the catalog and comparing");
            let plan = calls::plan(schema, pool).await?;
            if plan.is_empty() {
                Done::ok(
                    "The database is what the models describe: no migration to write.\n".to_owned(),
                    json!({ "files": [], "steps": 0 }),
                )
            } else {
                let files = calls::write_migration(&plan, &dir, &name)
                    .map_err(|e| Failure::Error(format!("write into {}: {e}", dir.display())))?;
                let mut text = String::new();
                for file in &files {
                    let _ = writeln!(text, "Wrote {}", file.display());
                }
                let _ = writeln!(
                    text,
                    "{} change(s): {} safe, {} for a person, {} unknown to the models.",
                    plan.len(),
                    plan.safe().count(),
                    plan.needs_person().count(),
                    plan.unknown().count()
                );
                let files: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
                Done::ok(text, json!({ "files": files, "steps": plan.len() }))
            }
        }
        Command::Create => {
            progress.step("creating the missing tables under the schema lock");
            let report = calls::create(schema, pool).await?;
            let mut text = String::new();
            if report.created.is_empty() {
                let _ = writeln!(
                    text,
                    "Every table exists ({}): nothing created.",
                    report.existing.len()
                );
            } else {
                let _ = writeln!(text, "Created: {}", report.created.join(", "));
                if !report.existing.is_empty() {
                    let _ = writeln!(text, "Existed: {}", report.existing.join(", "));
                }
            }
            let json = json!({
                "created": report.created,
                "existing": report.existing,
                "statements": statements_json(&report.statements),
            });
            Done::ok(text, json)
        }
        Command::Drop { yes } => {
            progress.step("reading the catalog");
            let live = calls::live(schema, pool).await?;
            let existing: Vec<String> = schema
                .tables()
                .filter(|t| live.table(t.schema, t.name).is_some())
                .map(|t| t.qualified_name())
                .collect();
            if existing.is_empty() {
                return Ok(Done::ok(
                    "No table of the models exists: nothing to drop.\n".to_owned(),
                    json!({ "dropped": [] }),
                ));
            }
            if !yes {
                confirm_drop(&existing, url)?;
            }
            progress.step("dropping under the schema lock");
            let report = calls::drop(schema, pool).await?;
            Done::ok(
                format!("Dropped: {}\n", report.dropped.join(", ")),
                json!({ "dropped": report.dropped }),
            )
        }
    };
    Ok(done)
}

/// Asks on the terminal; refuses where there is none to ask on.
fn confirm_drop(tables: &[String], url: &str) -> Result<(), Failure> {
    if !std::io::stdin().is_terminal() {
        return Err(Failure::Usage(
            "drop asks for a confirmation on a terminal, and stdin is not one: pass --yes to drop without asking".to_owned(),
        ));
    }
    let mut stderr = std::io::stderr();
    let _ = write!(
        stderr,
        "This drops {} table(s) and every row in them from {}:\n  {}\nDrop them? [y/N] ",
        tables.len(),
        masked(url),
        tables.join(", ")
    );
    let _ = stderr.flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Failure::Error(format!("read the answer: {e}")))?;
    match answer.trim() {
        "y" | "Y" | "yes" | "YES" | "Yes" => Ok(()),
        _ => Err(Failure::NotConfirmed),
    }
}

fn statements_json(statements: &[Statement]) -> Value {
    statements
        .iter()
        .map(|s| json!({ "table": s.table, "sql": s.sql }))
        .collect()
}

fn step_json(step: &Step, dialect: Dialect) -> Value {
    let (class, reason) = match &step.class {
        Class::Safe => ("safe", None),
        Class::NeedsPerson { reason } => ("needs_person", Some(reason.as_str())),
        Class::Unknown => ("unknown", None),
        _ => ("other", None),
    };
    json!({
        "table": step.table,
        "class": class,
        "change": step.describe(dialect),
        "reason": reason,
    })
}

fn plan_json(plan: &Plan) -> Value {
    json!({
        "dialect": dialect_name(plan.dialect()),
        "drift": !plan.is_empty(),
        "steps": plan.steps().iter().map(|s| step_json(s, plan.dialect())).collect::<Vec<_>>(),
        "sql": plan.to_sql(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            masked("postgres://me:secret@db:5432/app"),
            "postgres://me:***@db:5432/app"
        );
        assert_eq!(
            masked("mysql://root@127.0.0.1/test"),
            "mysql://root@127.0.0.1/test"
        );
        assert_eq!(masked("sqlite://a@b.db"), "sqlite://a@b.db");
        assert_eq!(masked("sqlite:app.db"), "sqlite:app.db");
    }

    #[test]
    fn the_url_names_the_dialect() {
        assert_eq!(
            url_dialect("postgresql://x/y").ok(),
            Some(Dialect::Postgres)
        );
        assert_eq!(url_dialect("mariadb://x/y").ok(), Some(Dialect::MySql));
        assert_eq!(url_dialect("sqlite::memory:").ok(), Some(Dialect::Sqlite));
        assert!(matches!(url_dialect("http://x"), Err(Failure::Usage(_))));
    }
}
