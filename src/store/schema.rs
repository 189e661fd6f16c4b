//! The progress database's schema, as numbered migrations.

/// Schema migrations; migration `i` takes the schema from version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    // 1: profiles, scenario runs with their dimension scores, quiz answers.
    "CREATE TABLE profiles (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE scenario_runs (
        id INTEGER PRIMARY KEY,
        profile_id INTEGER NOT NULL REFERENCES profiles(id),
        scenario TEXT NOT NULL,
        matrix TEXT NOT NULL,
        seed INTEGER NOT NULL,
        mode TEXT NOT NULL,
        finished_at INTEGER NOT NULL,
        total INTEGER NOT NULL
    );
    CREATE TABLE run_dimensions (
        run_id INTEGER NOT NULL REFERENCES scenario_runs(id) ON DELETE CASCADE,
        dimension TEXT NOT NULL,
        score INTEGER NOT NULL,
        PRIMARY KEY (run_id, dimension)
    );
    CREATE TABLE quiz_answers (
        id INTEGER PRIMARY KEY,
        profile_id INTEGER NOT NULL REFERENCES profiles(id),
        question TEXT NOT NULL,
        dimension TEXT NOT NULL,
        correct INTEGER NOT NULL,
        answered_at INTEGER NOT NULL
    );",
    // 2: spaced repetition (sittings and cards) and progress per role.
    "CREATE TABLE sittings (
        id INTEGER PRIMARY KEY,
        profile_id INTEGER NOT NULL REFERENCES profiles(id),
        number INTEGER NOT NULL,
        seed INTEGER NOT NULL,
        started_at INTEGER NOT NULL,
        UNIQUE (profile_id, number)
    );
    ALTER TABLE quiz_answers ADD COLUMN sitting INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE quiz_answers ADD COLUMN first_try INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE answer_roles (
        answer_id INTEGER NOT NULL REFERENCES quiz_answers(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        PRIMARY KEY (answer_id, role)
    );
    CREATE TABLE run_roles (
        run_id INTEGER NOT NULL REFERENCES scenario_runs(id) ON DELETE CASCADE,
        role TEXT NOT NULL,
        credits INTEGER NOT NULL,
        deductions INTEGER NOT NULL,
        PRIMARY KEY (run_id, role)
    );
    CREATE TABLE cards (
        profile_id INTEGER NOT NULL REFERENCES profiles(id),
        question TEXT NOT NULL,
        level INTEGER NOT NULL,
        due_sitting INTEGER NOT NULL,
        PRIMARY KEY (profile_id, question)
    );",
    // 3: statements waiting for (or sent to) the organisation's learning record store, and the
    // exercise each run was.
    "CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        statement TEXT NOT NULL,
        queued_at INTEGER NOT NULL,
        sent_at INTEGER,
        refused TEXT
    );
    CREATE INDEX outbox_waiting ON outbox (sent_at, refused, seq);
    CREATE TABLE outbox_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        failures INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        last_error_at INTEGER,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        last_sent_at INTEGER,
        history_filled_at INTEGER
    );
    ALTER TABLE scenario_runs ADD COLUMN exercise TEXT;",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;
