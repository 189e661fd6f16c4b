//! The room's pages in a real browser: Debian's chromium driven through chromedriver (the
//! `WebDriver` protocol) with fantoccini. Three seats and a projector play part of a scenario
//! through the pages' own controls.
//!
//! `.ci/run` installs chromium and chromium-driver and sets `WARROOM_REQUIRE_BROWSER=1`, so there
//! a missing browser fails the test. Elsewhere, without chromedriver, the test says so and stops.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use warroom::engine::content::library::{default_matrix_path, load_matrix};
use warroom::engine::content::load::Source;
use warroom::engine::content::script::{self, Decisions, Step};
use warroom::engine::scoring::score;

use super::support::{TestRoom, connect, intent, next_of, request, start, start_on};

/// chromedriver, started on a free port, stopped when dropped.
struct Driver {
    process: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn chromedriver() -> Option<PathBuf> {
    std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| Some(PathBuf::from("/usr/bin/chromedriver")))
        .filter(|p| p.is_file())
}

fn start_driver() -> Option<Driver> {
    let Some(binary) = chromedriver() else {
        assert!(
            std::env::var_os("WARROOM_REQUIRE_BROWSER").is_none(),
            "WARROOM_REQUIRE_BROWSER is set but chromedriver is missing (apt-get install chromium chromium-driver)"
        );
        #[expect(clippy::print_stderr, reason = "says why the browser test did nothing")]
        {
            eprintln!(
                "browser test skipped: no chromedriver (apt-get install chromium chromium-driver)"
            );
        }
        return None;
    };
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let process = Command::new(binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    Some(Driver {
        process,
        url: format!("http://127.0.0.1:{port}"),
    })
}

/// A headless chromium window of the given size, with its own empty profile.
async fn browser(driver: &Driver, width: u32, height: u32, profile: &Path) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                format!("--window-size={width},{height}"),
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&driver.url)
        .await
        .expect("chromedriver opens a browser")
}

/// Waits until the host's log holds `entries` intents.
async fn wait_for_log(room: &TestRoom, entries: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let now = room.host.shared().read().session.log().entries.len();
        if now >= entries {
            assert_eq!(now, entries, "more intents arrived than were sent");
            return;
        }
        assert!(Instant::now() < deadline, "intent {entries} never arrived");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the page's text satisfies `test`, returning it.
async fn wait_for_text(page: &Client, what: &str, holds: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        // While a page is being replaced (a form's redirect, a reload) the body may be missing
        // or stale for a moment: that reads as nothing yet.
        let text = match page.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if holds(&text) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "the page never showed {what}:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// What a form says of its last request.
async fn outcome(page: &Client, form: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let css = format!("form[data-form={form}] .outcome");
        if let Ok(line) = page.find(Locator::Css(&css)).await {
            let text = line.text().await.unwrap_or_default();
            if !text.is_empty() && text != "Sending\u{2026}" {
                return text;
            }
        }
        assert!(
            Instant::now() < deadline,
            "the {form} form never said its outcome"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn click(page: &Client, css: &str) {
    page.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn open_section(page: &Client, title: &str) {
    let summary = page
        .find(Locator::XPath(&format!(
            "//summary[contains(., '{title}')]"
        )))
        .await
        .unwrap();
    let open = summary
        .find(Locator::XPath(".."))
        .await
        .unwrap()
        .attr("open")
        .await
        .unwrap();
    if open.is_none() {
        summary.click().await.unwrap();
    }
}

async fn select(page: &Client, css: &str, value: &str) {
    page.find(Locator::Css(css))
        .await
        .unwrap()
        .select_by_value(value)
        .await
        .unwrap();
}

async fn type_into(page: &Client, css: &str, text: &str) {
    let field = page.find(Locator::Css(css)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Takes a seat through the join page's form, as a person would.
async fn take_seat(page: &Client, room: &TestRoom, seat: &str, person: &str) {
    page.goto(&room.host.join_url()).await.unwrap();
    type_into(page, "#person", person).await;
    click(page, &format!("input[name=seat][value={seat}]")).await;
    click(page, "form button[type=submit]").await;
    wait_for_text(page, "the seat page", |t| t.contains("Connected")).await;
}

fn save_screenshot(name: &str, png: &[u8]) {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("room-shots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
}

#[test]
fn three_seats_and_a_projector_play_through_the_pages() {
    let Some(driver) = start_driver() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let profiles = tempfile::tempdir().unwrap();
    let saves = dir.path().to_path_buf();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let room = runtime.block_on(async move {
        let room = start("ransomware-file-server", &saves);
        let profile = |name: &str| profiles.path().join(name);
        let soc = browser(&driver, 420, 900, &profile("soc")).await;
        let it = browser(&driver, 1024, 640, &profile("it")).await;
        let irm = browser(&driver, 1024, 640, &profile("irm")).await;
        let projector = browser(&driver, 1280, 720, &profile("projector")).await;
        take_seat(&soc, &room, "soc", "Ana").await;
        take_seat(&it, &room, "it_ops", "Bo").await;
        take_seat(&irm, &room, "ir_manager", "Cy").await;
        projector.goto(&room.host.projector_url()).await.unwrap();
        wait_for_text(&projector, "the opening inject", |t| {
            t.contains("Mass file renames")
        })
        .await;
        let mut console = connect(&room.ws_url(&format!("{}/ws", room.console_path()))).await;
        next_of(&mut console, "console").await;

        // SOC triages from the Decide form.
        select(&soc, "#decide-action", "triage-fs01").await;
        click(&soc, "form[data-form=decide] button").await;
        wait_for_log(&room, 1).await;
        wait_for_text(&soc, "its own decision", |t| {
            t.contains("assigned to Security Operations Center")
        })
        .await;
        // The outcome shows at the form that was used, not only at the top of the page.
        assert_eq!(outcome(&soc, "decide").await, "Done");

        // The clock moves; the projector follows.
        let advanced = intent(&mut console, 1, json!({"Advance": {"minutes": 2}})).await;
        assert_eq!(advanced["t"], "ack");
        wait_for_log(&room, 2).await;
        wait_for_text(&projector, "the clock", |t| t.contains("T+02")).await;

        // SOC escalates to the incident manager, who sees it with its reason.
        open_section(&soc, "Escalate or inform").await;
        click(
            &soc,
            "form[data-form=escalate] input[name=roles][value=ir_manager]",
        )
        .await;
        type_into(
            &soc,
            "#escalate-reason",
            "Ransomware behaviour on a critical server",
        )
        .await;
        click(&soc, "form[data-form=escalate] button").await;
        wait_for_log(&room, 3).await;
        wait_for_text(&irm, "the escalation", |t| {
            t.contains("Why: Ransomware behaviour on a critical server")
        })
        .await;

        // A refusal from the engine shows in the seat: escalating to nobody.
        click(&soc, "form[data-form=escalate] button").await;
        wait_for_text(&soc, "the engine's reason", |t| {
            t.contains("choose at least one role to escalate to")
        })
        .await;
        assert_eq!(
            outcome(&soc, "escalate").await,
            "choose at least one role to escalate to"
        );

        // SOC hands off to IT with evidence and urgency; IT reads what it carries.
        open_section(&soc, "Hand off").await;
        select(&soc, "#handoff-to", "it_ops").await;
        type_into(
            &soc,
            "#handoff-observed",
            "FS-01 is encrypting the Operations share",
        )
        .await;
        click(
            &soc,
            "form[data-form=handoff] input[name=evidence][value=edr-alert]",
        )
        .await;
        select(&soc, "#handoff-urgency", "High").await;
        click(&soc, "form[data-form=handoff] button").await;
        wait_for_log(&room, 4).await;
        let it_text = wait_for_text(&it, "the handoff", |t| {
            t.contains("Observed: FS-01 is encrypting")
        })
        .await;
        assert!(it_text.contains("Urgency: High"), "{it_text}");
        assert!(it_text.contains("Evidence: EDR alert #48213"), "{it_text}");

        // The ransom note arrives; SOC asks the incident manager to approve blocking the C2
        // address, and the manager approves from the Approve section.
        let advanced = intent(&mut console, 2, json!({"Advance": {"minutes": 9}})).await;
        assert_eq!(advanced["t"], "ack");
        wait_for_log(&room, 5).await;
        wait_for_text(&soc, "the ransom note", |t| t.contains("RESTORE-FILES.txt")).await;
        open_section(&soc, "Approve").await;
        select(&soc, "#ask-action", "block-c2").await;
        select(&soc, "#ask-approver", "ir_manager").await;
        click(&soc, "form[data-form=ask-approval] button").await;
        wait_for_log(&room, 6).await;
        wait_for_text(&irm, "the request", |t| t.contains("Approve (1)")).await;
        open_section(&irm, "Approve").await;
        click(&irm, "#to-approve button").await;
        wait_for_log(&room, 7).await;
        wait_for_text(&soc, "the grant", |t| {
            t.contains("Incident Response Manager approves")
        })
        .await;

        // The facilitator's ad-hoc injects reach the seats they are sent to, everyone by default,
        // named in the bar that stays at the top of the screen.
        let shared = Arc::clone(room.host.shared());
        tokio::task::spawn_blocking(move || {
            shared.edit_record(&mut |record, _| {
                let entries = record.log.entries.len();
                let minute = 11;
                record
                    .release_adhoc(
                        minute,
                        entries,
                        "CFO on the phone",
                        "Is payroll safe?",
                        vec![],
                    )
                    .unwrap();
                let to = vec!["ir_manager".into()];
                record
                    .release_adhoc(
                        minute,
                        entries,
                        "A journalist emails",
                        "About an outage",
                        to,
                    )
                    .unwrap();
                Ok(())
            })
        })
        .await
        .unwrap()
        .unwrap();
        for page in [&soc, &it, &irm] {
            wait_for_text(page, "the ad-hoc inject", |t| {
                t.contains("From the facilitator") && t.contains("Is payroll safe?")
            })
            .await;
        }
        wait_for_text(&irm, "the ad-hoc inject sent to it", |t| {
            t.contains("New: T+11 \u{b7} A journalist emails")
        })
        .await;
        let soc_text = wait_for_text(&soc, "the new-inject bar", |t| {
            t.contains("New: T+11 \u{b7} CFO on the phone")
        })
        .await;
        assert!(!soc_text.contains("A journalist emails"), "{soc_text}");
        soc.execute("window.scrollTo(0, 0)", vec![]).await.unwrap();
        save_screenshot("seat-phone-new-inject", &soc.screenshot().await.unwrap());
        let shown = wait_for_text(&projector, "the ad-hoc inject to everyone", |t| {
            t.contains("CFO on the phone")
        })
        .await;
        assert!(
            !shown.contains("A journalist emails"),
            "an inject to one seat is not on the room's screen"
        );

        // Privacy: no seat sees another's exchanges, and none sees a score.
        let it_text = wait_for_text(&it, "its feed", |_| true).await;
        assert!(!it_text.contains("escalates to"), "{it_text}");
        assert!(!it_text.contains("approves"), "{it_text}");
        let irm_text = wait_for_text(&irm, "its feed", |_| true).await;
        assert!(!irm_text.contains("hands off to IT"), "{irm_text}");
        let notes: Vec<String> = room
            .host
            .shared()
            .read()
            .session
            .scenario()
            .injects
            .iter()
            .map(|i| i.facilitator_notes.clone())
            .filter(|n| !n.is_empty())
            .collect();
        assert!(!notes.is_empty());
        for page in [&soc, &it, &irm, &projector] {
            let text = wait_for_text(page, "its text", |_| true).await;
            for private in ["Score", "score", "Finding", "deduct"] {
                assert!(!text.contains(private), "a page shows {private:?}:\n{text}");
            }
            for note in &notes {
                assert!(
                    !text.contains(note.as_str()),
                    "a page shows the facilitator's notes"
                );
            }
        }
        save_screenshot("seat-phone", &soc.screenshot().await.unwrap());
        save_screenshot("seat-1024", &irm.screenshot().await.unwrap());
        save_screenshot("projector-1280", &projector.screenshot().await.unwrap());

        // A killed seat's device comes back at the same address and catches up.
        let it_url = it.current_url().await.unwrap().to_string();
        it.close().await.unwrap();
        open_section(&soc, "Hand off").await;
        select(&soc, "#handoff-to", "it_ops").await;
        type_into(
            &soc,
            "#handoff-observed",
            "Outbound traffic to 185.220.101.47",
        )
        .await;
        click(&soc, "form[data-form=handoff] button").await;
        wait_for_log(&room, 8).await;
        let it = browser(&driver, 1024, 640, &profile("it-again")).await;
        it.goto(&it_url).await.unwrap();
        wait_for_text(&it, "what it missed", |t| {
            t.contains("Observed: Outbound traffic")
        })
        .await;

        // The host restarts on the same port: every page reconnects and goes on.
        let (id, port) = (room.id.clone(), room.addr().port());
        drop(console);
        let TestRoom { host, .. } = room;
        tokio::task::spawn_blocking(move || host.stop())
            .await
            .unwrap();
        wait_for_text(&irm, "the lost connection", |t| t.contains("reconnecting")).await;
        let room = start_on("ransomware-file-server", &saves, Some(&id), port);
        wait_for_text(&irm, "the reconnection", |t| t.contains("Connected")).await;
        open_section(&irm, "Decide").await;
        click(&irm, "form[data-form=declare] button").await;
        wait_for_log(&room, 9).await;
        wait_for_text(&soc, "the declaration after the restart", |t| {
            t.contains("declares an incident")
        })
        .await;
        wait_for_text(&it, "the declaration after the restart", |t| {
            t.contains("declares an incident")
        })
        .await;

        let mut console = connect(&room.ws_url(&format!("{}/ws", room.console_path()))).await;
        next_of(&mut console, "console").await;
        // A word from the facilitator opens the seat's chat, so it is seen.
        let word = json!({"t": "chat", "seat": "soc", "text": "Image FS-01 before anything else."});
        assert_eq!(request(&mut console, 2, word).await["t"], "ack");
        wait_for_text(&soc, "the facilitator's word", |t| {
            t.contains("Facilitator: Image FS-01 before anything else.")
        })
        .await;
        let ended = intent(&mut console, 1, json!({"Advance": {"minutes": 49}})).await;
        assert_eq!(ended["t"], "ack");
        wait_for_text(&projector, "the end", |t| {
            t.contains("The exercise has ended")
        })
        .await;
        wait_for_text(&soc, "the end", |t| t.contains("The exercise has ended")).await;
        let decide = soc
            .find(Locator::Css("form[data-form=decide] button"))
            .await
            .unwrap();
        assert!(
            decide.attr("disabled").await.unwrap().is_some(),
            "nothing more can be decided once the exercise has ended"
        );
        // The web console draws the room from its live connection: who holds each seat and how
        // many of their pages are connected.
        irm.goto(&room.host.console_url()).await.unwrap();
        wait_for_text(&irm, "the console's seats", |t| {
            t.contains("#1 Ana") && t.contains("1 connected")
        })
        .await;
        // Its controls act on rows the host redraws after every change: close a seat, see it
        // closed, and open it again from the row drawn after that.
        click(&irm, r#"button[data-seat="it_ops"][data-op="close"]"#).await;
        wait_for_text(&irm, "the closed seat", |t| {
            t.contains("IT Operations (closed)")
        })
        .await;
        click(&irm, r#"button[data-seat="it_ops"][data-op="open"]"#).await;
        wait_for_text(&irm, "the reopened seat", |t| {
            !t.contains("IT Operations (closed)")
        })
        .await;
        assert!(room.saved().room.unwrap().by_id("it_ops").unwrap().open);
        for page in [soc, it, irm, projector] {
            page.close().await.unwrap();
        }
        drop(driver);
        room
    });

    // The host's scorecard is what `warroom play` gives for the same intents.
    let hosted = room.host.shared().read().session.log().clone();
    let decisions = Decisions {
        scenario: hosted.scenario.clone(),
        description: String::new(),
        seed: Some(4),
        steps: hosted
            .entries
            .iter()
            .filter(|e| !e.intent.is_facilitation())
            .map(|e| Step::at(e.minute, e.intent.clone()))
            .collect(),
    };
    let matrix = load_matrix(&default_matrix_path()).unwrap().matrix;
    let scenario = room.host.shared().read().session.scenario_arc();
    let source = Source::from_text("browser.ron", "");
    let headless = script::run(scenario, Arc::clone(&matrix), &decisions, 4, &source).unwrap();
    assert_eq!(
        score(&room.host.shared().read().session).to_json(),
        score(&headless).to_json()
    );
    drop(dir);
}
