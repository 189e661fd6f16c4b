//! The pages' forms as the host reads them. A page sends a form's fields by the names the page's
//! HTML gives them (`{"t":"form","as":"soc","fields":{"form":"handoff","to":"it_ops",…}}`), and
//! the host turns them into the engine's intent here: the pages know nothing of the engine's
//! types, so renaming a field of an intent changes this file and nothing a browser runs. A test
//! renders every form of the seat and console pages and reads it back through this.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::state::Refusal;
use crate::engine::model::id::TriggerId;
use crate::engine::model::id::{ActionId, ArtifactId, AudienceId, InjectId, MessageId, RoleId};
use crate::engine::model::intent::{Handoff, Intent, Urgency};

/// One form as a page sends it: its name (`data-form`) and its fields.
#[derive(Debug, Deserialize)]
#[serde(tag = "form", rename_all = "kebab-case", deny_unknown_fields)]
pub enum PageForm {
    /// A seat carries out an action.
    Decide {
        /// The action.
        action: ActionId,
    },
    /// A seat classifies the severity.
    Classify {
        /// The level, as the select sends it.
        level: String,
    },
    /// A seat declares an incident.
    Declare {},
    /// A seat hands work to another role.
    Handoff {
        /// The receiving role.
        to: RoleId,
        /// What was observed.
        #[serde(default)]
        observed: String,
        /// Facts established (ticked).
        #[serde(default)]
        facts: Vec<TriggerId>,
        /// Evidence (ticked).
        #[serde(default)]
        evidence: Vec<ArtifactId>,
        /// Actions already taken (ticked).
        #[serde(default)]
        done: Vec<ActionId>,
        /// Actions recommended next (ticked).
        #[serde(default)]
        actions: Vec<ActionId>,
        /// Urgency, empty when not stated.
        #[serde(default)]
        urgency: String,
    },
    /// A seat engages other roles.
    Escalate {
        /// Roles engaged (ticked).
        #[serde(default)]
        roles: Vec<RoleId>,
        /// Why.
        #[serde(default)]
        reason: String,
    },
    /// A seat tells roles about an action without engaging them.
    Inform {
        /// Roles told (ticked).
        #[serde(default)]
        roles: Vec<RoleId>,
        /// The action they are told about.
        about: ActionId,
    },
    /// A seat sends a message to an audience, or (with `ask`) first asks for its approval.
    Communicate {
        /// The audience.
        audience: AudienceId,
        /// The message.
        message: MessageId,
        /// Whom to ask for approval.
        #[serde(default)]
        approver: Option<RoleId>,
        /// Present when the *Ask approval* button sent the form.
        #[serde(default)]
        ask: Option<String>,
    },
    /// A seat asks another role to approve an action.
    AskApproval {
        /// The action.
        action: ActionId,
        /// The approver.
        approver: RoleId,
    },
    /// The console moves the clock.
    Advance {
        /// Minutes, as the button sends them.
        minutes: String,
    },
    /// The console releases an inject now.
    Release {
        /// The inject.
        inject: InjectId,
    },
    /// The console ends the exercise.
    End {},
}

/// The fields of a form as a page may send them: text, or the ticked values of checkboxes.
pub type Fields = BTreeMap<String, serde_json::Value>;

impl PageForm {
    /// Reads a form's fields; `Err` says what is wrong in words.
    pub fn read(fields: Fields) -> Result<Self, Refusal> {
        serde_json::from_value(serde_json::Value::Object(fields.into_iter().collect()))
            .map_err(|e| Refusal(format!("the form could not be read: {e}")))
    }

    /// The intent the form asks for, made as `acting` (the role the page acts as; the console's
    /// forms need none).
    pub fn intent(self, acting: Option<RoleId>) -> Result<Intent, Refusal> {
        let acting = || {
            acting
                .clone()
                .ok_or_else(|| Refusal("choose whom you act as".into()))
        };
        Ok(match self {
            Self::Decide { action } => Intent::AssignAction {
                action,
                role: acting()?,
            },
            Self::Classify { level } => Intent::ClassifySeverity {
                level: level
                    .parse()
                    .map_err(|_| Refusal("choose a severity level".into()))?,
                by: acting()?,
            },
            Self::Declare {} => Intent::DeclareIncident { by: acting()? },
            Self::Handoff {
                to,
                observed,
                facts,
                evidence,
                done,
                actions,
                urgency,
            } => Intent::Handoff(Handoff {
                from: acting()?,
                to,
                observed,
                facts,
                evidence,
                actions_taken: done,
                recommended: actions,
                urgency: match urgency.as_str() {
                    "" => None,
                    named => Some(
                        Urgency::ALL
                            .into_iter()
                            .find(|u| format!("{u:?}") == named)
                            .ok_or_else(|| Refusal("choose an urgency from the list".into()))?,
                    ),
                },
            }),
            Self::Escalate { roles, reason } => Intent::Escalate {
                from: acting()?,
                to: roles,
                reason,
            },
            Self::Inform { roles, about } => Intent::Inform {
                from: acting()?,
                to: roles,
                about,
            },
            Self::Communicate {
                audience,
                message,
                approver,
                ask,
            } => match (ask, approver) {
                (Some(_), Some(approver)) => Intent::RequestMessageApproval {
                    message,
                    audience,
                    requested_by: acting()?,
                    approver,
                },
                (Some(_), None) => return Err(Refusal("choose whom to ask".into())),
                (None, _) => Intent::Communicate {
                    audience,
                    sender: acting()?,
                    message,
                    approvals: Vec::new(),
                },
            },
            Self::AskApproval { action, approver } => Intent::RequestApproval {
                action,
                requested_by: acting()?,
                approver,
            },
            Self::Advance { minutes } => Intent::Advance {
                minutes: minutes
                    .parse()
                    .map_err(|_| Refusal("say how many minutes".into()))?,
            },
            Self::Release { inject } => Intent::ReleaseInject { inject },
            Self::End {} => Intent::EndExercise,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::content::shipped;
    use crate::engine::model::intent::Intent;
    use crate::engine::room::{Seat, seat_feed, seat_view};
    use crate::engine::session::Session;

    /// Each `<form data-form=…>` of a page, with the fields a browser sends for it: the first
    /// option of each list, the first box of each group ticked, some text in each text field.
    fn forms_of(html: &str) -> Vec<(String, Fields)> {
        let attr = |tag: &str, name: &str| {
            tag.split(&format!(" {name}=\""))
                .nth(1)?
                .split('"')
                .next()
                .map(str::to_owned)
        };
        html.split("<form ")
            .skip(1)
            .filter_map(|rest| {
                let (body, _) = rest.split_once("</form>")?;
                let name = attr(&format!(" {body}"), "data-form")?;
                let mut fields = Fields::new();
                fields.insert("form".into(), name.clone().into());
                for tag in body.split('<').skip(1).filter_map(|t| t.split_once('>')) {
                    let tag = tag.0;
                    let Some(field) = attr(tag, "name") else {
                        continue;
                    };
                    let value = if tag.starts_with("select") {
                        // Its first option, which follows it.
                        let option = body
                            .split(&format!("name=\"{field}\""))
                            .nth(1)
                            .and_then(|s| s.split("<option").nth(1))
                            .and_then(|o| attr(&format!(" {o}"), "value"))
                            .unwrap_or_default();
                        serde_json::Value::from(option)
                    } else if tag.contains("type=\"checkbox\"") {
                        let list = fields
                            .entry(field.clone())
                            .or_insert_with(|| serde_json::json!([]));
                        if let (Some(items), Some(value)) =
                            (list.as_array_mut(), attr(tag, "value"))
                            && items.is_empty()
                        {
                            items.push(value.into());
                        }
                        continue;
                    } else if tag.starts_with("button") {
                        // Sent only by the button that submits; see the Communicate case below.
                        continue;
                    } else {
                        "Seen on FS-01".into()
                    };
                    fields.entry(field).or_insert(value);
                }
                Some((name, fields))
            })
            .collect()
    }

    fn ransomware_at(minute: u32) -> Session {
        let mut session = Session::new(
            shipped::scenario("ransomware-file-server"),
            shipped::matrix(),
            4,
        );
        if minute > 0 {
            session.apply(Intent::Advance { minutes: minute }).unwrap();
        }
        session
    }

    #[test]
    fn every_form_of_the_seat_page_reads_back_as_an_intent_the_session_accepts() {
        let session = ransomware_at(12);
        let seat = Seat::per_role(&session)
            .into_iter()
            .find(|s| s.id == "soc")
            .unwrap();
        let page = super::super::seat_page::seat(
            &seat_view(&session, &seat),
            &seat_feed(&session, &seat, None),
            &[],
            "/ws",
        )
        .into_string();
        let forms = forms_of(&page);
        let names: Vec<&str> = forms.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "decide",
                "classify",
                "declare",
                "handoff",
                "escalate",
                "inform",
                "communicate",
                "ask-approval",
                "chat"
            ]
        );
        for (name, fields) in forms.into_iter().filter(|(n, _)| n != "chat") {
            let mut variants = vec![fields.clone()];
            if name == "communicate" {
                // Sent by the *Ask approval* button, which names itself.
                let mut asking = fields;
                asking.insert("ask".into(), "1".into());
                variants.push(asking);
            }
            for fields in variants {
                let form = PageForm::read(fields.clone())
                    .unwrap_or_else(|e| panic!("{name}: {} ({fields:?})", e.0));
                let intent = form
                    .intent(Some("soc".into()))
                    .unwrap_or_else(|e| panic!("{name}: {}", e.0));
                let mut trial = session.clone();
                trial
                    .apply(intent.clone())
                    .unwrap_or_else(|e| panic!("{name}: {intent:?} refused: {}", e.reason));
            }
        }
    }

    #[test]
    fn the_consoles_clock_and_inject_controls_read_back_as_intents() {
        let session = ransomware_at(0);
        let record = crate::engine::exercise::ExerciseRecord::new(
            "forms",
            crate::engine::model::scenario::Mode::Facilitated,
            0,
            &session,
        );
        let mut hosted = super::super::state::Hosted::new(session, record, "unused.ron".into());
        let view = super::super::console_view::console_view(&hosted, "console", &|_| 0);
        let page = super::super::pages::console(
            &hosted,
            &view,
            "http://x/join",
            "http://x/projector",
            "/ws",
            None,
        )
        .into_string();
        // The console's script sends these for its buttons and its release form.
        let minutes: Vec<&str> = page
            .split("data-advance=\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        assert_eq!(minutes, ["1", "5", "15"]);
        for minutes in minutes {
            let fields = Fields::from([
                ("form".into(), "advance".into()),
                ("minutes".into(), minutes.into()),
            ]);
            let intent = PageForm::read(fields).unwrap().intent(None).unwrap();
            assert!(matches!(intent, Intent::Advance { .. }));
        }
        assert!(page.contains("data-form=\"release\"") && page.contains("name=\"inject\""));
        // The first inject the page offers to release now is one the session releases.
        let offered = page
            .split("id=\"release\"")
            .nth(1)
            .and_then(|rest| rest.split("value=\"").nth(1))
            .and_then(|rest| rest.split('"').next())
            .expect("the page offers injects to release");
        let release = Fields::from([
            ("form".into(), "release".into()),
            ("inject".into(), offered.into()),
        ]);
        let intent = PageForm::read(release).unwrap().intent(None).unwrap();
        hosted.session.apply(intent).unwrap();
        let end = PageForm::read(Fields::from([("form".into(), "end".into())])).unwrap();
        assert_eq!(end.intent(None).unwrap(), Intent::EndExercise);
    }

    #[test]
    fn a_form_that_does_not_read_is_refused_in_words() {
        let wrong = Fields::from([
            ("form".into(), "decide".into()),
            ("actoin".into(), "triage-fs01".into()),
        ]);
        let refused = PageForm::read(wrong).unwrap_err();
        assert!(
            refused.0.starts_with("the form could not be read"),
            "{}",
            refused.0
        );
        let seatless = PageForm::read(Fields::from([("form".into(), "declare".into())]))
            .unwrap()
            .intent(None)
            .unwrap_err();
        assert_eq!(seatless.0, "choose whom you act as");
    }
}
