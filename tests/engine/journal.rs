//! Saves with a journal: a change costs the same late in a long exercise as early on, what was
//! saved reads back whole, a crash mid-line or mid-fold loses nothing acknowledged, and one save
//! has one writer.

use std::path::Path;

use warroom::engine::Session;
use warroom::engine::exercise::{ExerciseRecord, ObserverNote};
use warroom::engine::model::intent::{Handoff, Intent};
use warroom::engine::model::scenario::Mode;
use warroom::engine::room::{ChatLine, RoomRecord, Seat};
use warroom::store::journal::{SaveFile, journal_path};
use warroom::store::saves;

use crate::support::{matrix, scenario};

fn handoff(n: usize) -> Intent {
    Intent::Handoff(Handoff {
        from: "soc".into(),
        to: "it_ops".into(),
        observed: format!("Renames on FS-01, batch {n}"),
        facts: vec![],
        evidence: vec![],
        actions_taken: vec![],
        recommended: vec![],
        urgency: None,
    })
}

/// A hosted exercise as a long session makes it: intents, now and then a note or a chat line.
struct Exercise {
    session: Session,
    record: ExerciseRecord,
}

impl Exercise {
    fn new() -> Self {
        let session = Session::new(scenario("ransomware-file-server"), matrix(), 3);
        let mut record = ExerciseRecord::new("long", Mode::Facilitated, 1_700_000_000, &session);
        record.room = Some(RoomRecord::new(
            "JOIN".into(),
            "CONSOLE".into(),
            Seat::per_role(&session),
        ));
        Self { session, record }
    }

    fn step(&mut self, n: usize) {
        self.session.apply(handoff(n)).unwrap();
        self.record.catch_up(&self.session);
        if n.is_multiple_of(10) {
            self.record
                .add_note(ObserverNote {
                    minute: 0,
                    role: None,
                    dimension: None,
                    text: format!("note {n}\nover two lines"),
                    after_intents: None,
                })
                .unwrap();
        }
        if n.is_multiple_of(7) {
            let room = self.record.room.as_mut().unwrap();
            room.chat(ChatLine {
                seat: "soc".into(),
                from_facilitator: false,
                person: "Ana".into(),
                minute: 0,
                text: format!("chat {n}"),
            })
            .unwrap();
        }
    }
}

fn len(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

#[test]
fn a_change_costs_the_same_late_in_a_long_exercise_and_the_save_reads_back_whole() {
    let dir = tempfile::tempdir().unwrap();
    let mut exercise = Exercise::new();
    let mut file = saves::create_journaled(dir.path(), &mut exercise.record).unwrap();
    let journal = journal_path(file.path());
    let save = file.path().to_path_buf();
    // Bytes written for one intent that changes nothing else (no note, no chat line).
    let cost_of = |exercise: &mut Exercise, file: &mut SaveFile, n: usize| {
        let before = len(&save) + len(&journal);
        exercise.step(n);
        file.save(&mut exercise.record).unwrap();
        (len(&save) + len(&journal)).saturating_sub(before)
    };
    let early = cost_of(&mut exercise, &mut file, 11);
    let mut folded = false;
    for n in 12..3_000 {
        let before = len(&journal);
        exercise.step(n);
        file.save(&mut exercise.record).unwrap();
        folded |= len(&journal) < before;
    }
    assert!(folded, "the journal was never folded into the snapshot");
    let late = (3_001..3_010)
        .filter(|n: &usize| !n.is_multiple_of(7) && !n.is_multiple_of(10))
        .map(|n| cost_of(&mut exercise, &mut file, n))
        .min()
        .unwrap();
    assert!(
        late <= early + early / 2,
        "a change cost {early} bytes at intent 11 and {late} at intent 3,000"
    );
    assert!(
        len(&journal) <= len(&save).max(1024 * 1024) + late,
        "the journal outgrew its snapshot"
    );
    // Read back while the journal still holds changes, as after a crash.
    let read = saves::load(&save).unwrap();
    assert_eq!(read, exercise.record);
    assert!(read.notes[0].text.contains('\n'), "a line break is kept");
    // Finished, the save is one file holding everything.
    file.finish().unwrap();
    assert!(!journal.exists());
    assert_eq!(saves::load(&save).unwrap(), exercise.record);
}

/// Saves `changes` intents and leaves the save as a crash would: snapshot and journal.
fn crashed_after(changes: usize, dir: &Path) -> (Exercise, std::path::PathBuf) {
    let mut exercise = Exercise::new();
    let mut file = saves::create_journaled(dir, &mut exercise.record).unwrap();
    for n in 1..=changes {
        exercise.step(n);
        file.save(&mut exercise.record).unwrap();
    }
    let save = file.path().to_path_buf();
    // A crash folds nothing.
    file.leave_as_is();
    (exercise, save)
}

#[test]
fn a_torn_last_record_is_left_out_and_a_damaged_one_is_located() {
    let dir = tempfile::tempdir().unwrap();
    let (exercise, save) = crashed_after(25, dir.path());
    let journal = journal_path(&save);
    let whole = std::fs::read_to_string(&journal).unwrap();
    assert_eq!(whole.lines().count(), 25, "one line per change");
    // The process died halfway through writing the 26th change: never acknowledged.
    let mut torn = whole.clone();
    torn.push_str(&whole.lines().last().unwrap()[..40]);
    std::fs::write(&journal, &torn).unwrap();
    assert_eq!(saves::load(&save).unwrap(), exercise.record);
    // A line in the middle that does not read is damage, located in the journal.
    let mut lines: Vec<&str> = whole.lines().collect();
    lines[11] = "(at: 5, log: Some((from: 3, items: [oops";
    std::fs::write(&journal, lines.join("\n") + "\n").unwrap();
    let error = saves::load(&save).unwrap_err();
    assert_eq!(error.file, journal);
    assert_eq!(error.line, 12, "{error:?}");
}

#[test]
fn a_crash_while_folding_replays_to_the_same_record() {
    let dir = tempfile::tempdir().unwrap();
    let (exercise, save) = crashed_after(30, dir.path());
    let journal = journal_path(&save);
    let unfolded = std::fs::read(&journal).unwrap();
    // The new snapshot is written; the process dies before the journal is emptied.
    let mut file = SaveFile::open(&save, &mut exercise.record.clone()).unwrap();
    file.save(&mut exercise.record.clone()).unwrap();
    file.finish().unwrap();
    std::fs::write(&journal, &unfolded).unwrap();
    let read = saves::load(&save).unwrap();
    assert_eq!(read.log, exercise.record.log);
    assert_eq!(read.notes, exercise.record.notes);
    assert_eq!(read.room, exercise.record.room);
}

#[test]
fn a_journal_that_does_not_follow_its_snapshot_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (_, save) = crashed_after(12, dir.path());
    let journal = journal_path(&save);
    // The journal of a longer exercise beside the snapshot of a shorter one.
    let other = tempfile::tempdir().unwrap();
    let (_, longer) = crashed_after(40, other.path());
    let tail: Vec<String> = std::fs::read_to_string(journal_path(&longer))
        .unwrap()
        .lines()
        .skip(30)
        .map(str::to_owned)
        .collect();
    std::fs::write(&journal, tail.join("\n") + "\n").unwrap();
    let error = saves::load(&save).unwrap_err();
    assert_eq!(error.file, journal);
    assert_eq!(error.line, 1);
    assert!(error.message.contains("starts past the end"), "{error}");
}

#[test]
fn one_save_has_one_writer_at_a_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut exercise = Exercise::new();
    let first = saves::create_journaled(dir.path(), &mut exercise.record).unwrap();
    let save = first.path().to_path_buf();
    let refused = SaveFile::open(&save, &mut exercise.record.clone()).unwrap_err();
    assert!(
        refused.to_string().contains("open in another Warroom"),
        "{refused}"
    );
    exercise.step(1);
    first.finish().unwrap();
    let mut second = SaveFile::open(&save, &mut exercise.record).unwrap();
    exercise.step(2);
    second.save(&mut exercise.record).unwrap();
    drop(second);
    assert_eq!(saves::load(&save).unwrap(), exercise.record);
    assert!(!journal_path(&save).exists(), "dropping the writer folds");
}

#[test]
fn a_journal_that_is_a_pipe_or_not_text_is_refused_without_waiting() {
    let dir = tempfile::tempdir().unwrap();
    let (_, save) = crashed_after(3, dir.path());
    let journal = journal_path(&save);
    // Bytes that are not UTF-8 in a complete line: located, not read as something else.
    let mut bytes = std::fs::read(&journal).unwrap();
    bytes.extend_from_slice(b"(at: 1, rest: \xff)\n");
    std::fs::write(&journal, &bytes).unwrap();
    let error = saves::load(&save).unwrap_err();
    assert_eq!(error.file, journal);
    assert_eq!(error.line, 4, "{error}");
    // A pipe in the journal's place would block a reader forever: it is refused at once.
    std::fs::remove_file(&journal).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(&journal)
        .status()
        .unwrap();
    assert!(made.success());
    let error = saves::load(&save).unwrap_err();
    assert!(error.message.contains("not a regular file"), "{error}");
}
