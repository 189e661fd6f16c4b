//! A device the facilitator moves takes its new seat's count, feed and name with it, and pages
//! connecting or leaving wake whoever shows the counts.

use serde_json::{Value, json};

use super::support::{block_on, connect, intent, next_of, request, start};

/// Whether any feed item of an update mentions `text`.
fn feed_mentions(update: &Value, text: &str) -> bool {
    update["feed"]
        .as_array()
        .unwrap()
        .iter()
        .any(|item| item["text"].as_str().unwrap_or("").contains(text))
}

#[test]
fn a_moved_device_takes_its_new_seats_count_feed_and_name() {
    let dir = tempfile::tempdir().unwrap();
    let room = start("ransomware-file-server", dir.path());
    let soc = room.take("soc", "Ana");
    let shared = room.host.shared();
    block_on(async {
        let before = shared.revision();
        let mut ws = connect(&room.ws_url(&format!("{soc}/ws"))).await;
        let first = next_of(&mut ws, "update").await;
        assert_eq!(first["view"]["seat_id"], "soc");
        assert!(first.get("reset").is_none(), "{first}");
        assert_eq!(room.host.connected("soc"), 1);
        assert!(
            shared.revision() > before,
            "a page connecting wakes the console and the app"
        );
        let handoff =
            json!({"Handoff": {"from": "soc", "to": "it_ops", "observed": "Renames on FS-01"}});
        assert_eq!(intent(&mut ws, 1, handoff).await["t"], "ack");
        let mut console = connect(&room.ws_url(&format!("{}/ws", room.console_path()))).await;
        let moved = request(
            &mut console,
            1,
            json!({"t": "device", "device": 1, "to": "legal"}),
        )
        .await;
        assert_eq!(moved["t"], "ack", "{moved}");
        let update = loop {
            let update = next_of(&mut ws, "update").await;
            if update["view"]["seat_id"] == "legal" {
                break update;
            }
        };
        assert_eq!(update["reset"], true, "the page drops the old seat's feed");
        assert_eq!(update["view"]["seat"], "Legal Counsel");
        assert!(
            !feed_mentions(&update, "Renames on FS-01"),
            "the SOC's handoff is not Legal's business: {update}"
        );
        assert_eq!(
            update["feed"][0]["seq"], 0,
            "the new seat's whole feed comes with it, from the opening inject: {update}"
        );
        assert_eq!(room.host.connected("soc"), 0);
        assert_eq!(room.host.connected("legal"), 1);
        // Later updates carry on from there, without starting over.
        let declare = json!({"DeclareIncident": {"by": "legal"}});
        assert_eq!(intent(&mut ws, 2, declare).await["t"], "ack");
        let next = next_of(&mut ws, "update").await;
        assert!(next.get("reset").is_none(), "{next}");
        // A page still showing the SOC that reconnects is reset too.
        drop(ws);
        let stale = format!("{soc}/ws?after=1&seat=soc");
        let mut again = connect(&room.ws_url(&stale)).await;
        let update = next_of(&mut again, "update").await;
        assert_eq!(update["reset"], true);
        assert_eq!(update["view"]["seat_id"], "legal");
    });
}
