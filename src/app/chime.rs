//! The optional chime that announces a new inject, for a room whose eyes are not on the screen.
//!
//! Sound is played on a thread of its own so a slow or missing device never costs a frame. On
//! Linux the system's ALSA library is loaded when the first chime plays rather than linked at build
//! time, so building Warroom needs no audio development package and a machine without sound simply
//! stays quiet (one log line says why). Only the desktop app adds this plugin: tests and the
//! screenshot tour never make a sound.

use std::sync::mpsc;

use bevy::prelude::*;

use super::exercise::InjectBanner;
use super::theme::UiSettings;

/// Where chime requests go: the audio thread in the app, a channel a test holds in tests.
#[derive(Resource)]
pub struct Chime(mpsc::Sender<()>);

impl Chime {
    /// A chime whose requests arrive on `requests`.
    pub fn new(requests: mpsc::Sender<()>) -> Self {
        Self(requests)
    }

    /// Starts the audio thread; it plays one chime per request, dropping requests that pile up.
    fn spawn() -> Self {
        let (send, receive) = mpsc::channel();
        let started = std::thread::Builder::new()
            .name("warroom-chime".into())
            .spawn(move || play_requests(&receive));
        if let Err(e) = started {
            warn!("no chime: could not start the audio thread: {e}");
        }
        Self(send)
    }
}

/// Adds the chime to the desktop app.
pub fn plugin(app: &mut App) {
    app.insert_resource(Chime::spawn())
        .add_systems(Update, chime_on_new_inject);
}

/// Rings when the banner announces a new inject and the learner has the chime on.
pub fn chime_on_new_inject(
    banner: Res<InjectBanner>,
    settings: Res<UiSettings>,
    chime: Res<Chime>,
) {
    if banner.is_changed() && banner.0.is_some() && settings.chime {
        // A closed channel means the audio thread gave up; the app carries on silently.
        let _ = chime.0.send(());
    }
}

fn play_requests(requests: &mpsc::Receiver<()>) {
    let samples = samples(SAMPLE_RATE);
    let mut device = None;
    while requests.recv().is_ok() {
        // Several injects in one step ring once.
        while requests.try_recv().is_ok() {}
        let player = device.get_or_insert_with(output::Output::open);
        match player {
            Ok(output) => {
                if let Err(e) = output.play(output::DEVICE, &samples, SAMPLE_RATE) {
                    warn!("chime not played: {e}");
                }
            }
            Err(e) => {
                warn!("no chime: {e}");
                return;
            }
        }
    }
}

/// Samples per second of the chime.
pub const SAMPLE_RATE: u32 = 44_100;
/// Two notes, a fifth apart, rising: noticeable without alarm.
const NOTES: [(f32, f32); 2] = [(880.0, 0.16), (1318.5, 0.28)];
/// Peak amplitude, well under full scale: a cue, not a siren.
pub const PEAK: i16 = 9_000;

/// The chime as signed 16-bit mono samples at `rate`: each note starts with a short fade-in and
/// decays to silence, so nothing clicks.
pub fn samples(rate: u32) -> Vec<i16> {
    let rate = rate as f32;
    let mut out = Vec::new();
    for (frequency, seconds) in NOTES {
        let count = (seconds * rate) as usize;
        for n in 0..count {
            let t = n as f32 / rate;
            let attack = (t / 0.005).min(1.0);
            let decay = (1.0 - n as f32 / count as f32).powi(2);
            let wave = (std::f32::consts::TAU * frequency * t).sin();
            out.push((wave * attack * decay * f32::from(PEAK)) as i16);
        }
    }
    out
}

#[cfg(target_os = "linux")]
#[allow(
    unsafe_code,
    reason = "calls into the system sound library, which has no safe binding without its -dev package"
)]
mod output {
    //! ALSA through `libasound.so.2`, loaded at run time: the five calls a short sound needs.
    use std::ffi::{c_char, c_int, c_long, c_uint, c_ulong, c_void};

    use libloading::{Library, Symbol};

    type Pcm = *mut c_void;
    const PLAYBACK: c_int = 0;
    const FORMAT_S16_LE: c_int = 2;
    const ACCESS_RW_INTERLEAVED: c_int = 3;
    const LATENCY_MICROS: c_uint = 100_000;
    /// The user's chosen output, as ALSA (or PipeWire/PulseAudio behind it) routes it.
    pub const DEVICE: &std::ffi::CStr = c"default";

    pub struct Output {
        library: Library,
    }

    impl Output {
        pub fn open() -> Result<Self, String> {
            // SAFETY: libasound's initialisers only set up its own state.
            let library = unsafe { Library::new("libasound.so.2") }
                .map_err(|e| format!("the system sound library is not available ({e})"))?;
            Ok(Self { library })
        }

        pub fn play(
            &self,
            device: &std::ffi::CStr,
            samples: &[i16],
            rate: u32,
        ) -> Result<(), String> {
            // SAFETY: the signatures are ALSA's own (alsa/pcm.h); the handle is opened, used and
            // closed here, and `samples` outlives every call that reads it.
            unsafe {
                let open: Symbol<
                    '_,
                    unsafe extern "C" fn(*mut Pcm, *const c_char, c_int, c_int) -> c_int,
                > = self.symbol(b"snd_pcm_open\0")?;
                let set_params: Symbol<
                    '_,
                    unsafe extern "C" fn(Pcm, c_int, c_int, c_uint, c_uint, c_int, c_uint) -> c_int,
                > = self.symbol(b"snd_pcm_set_params\0")?;
                let write: Symbol<'_, unsafe extern "C" fn(Pcm, *const c_void, c_ulong) -> c_long> =
                    self.symbol(b"snd_pcm_writei\0")?;
                let recover: Symbol<'_, unsafe extern "C" fn(Pcm, c_int, c_int) -> c_int> =
                    self.symbol(b"snd_pcm_recover\0")?;
                let drain: Symbol<'_, unsafe extern "C" fn(Pcm) -> c_int> =
                    self.symbol(b"snd_pcm_drain\0")?;
                let close: Symbol<'_, unsafe extern "C" fn(Pcm) -> c_int> =
                    self.symbol(b"snd_pcm_close\0")?;

                let mut pcm: Pcm = std::ptr::null_mut();
                let code = open(&raw mut pcm, device.as_ptr(), PLAYBACK, 0);
                if code < 0 || pcm.is_null() {
                    return Err(format!("no sound device (ALSA error {code})"));
                }
                let code = set_params(
                    pcm,
                    FORMAT_S16_LE,
                    ACCESS_RW_INTERLEAVED,
                    1,
                    rate,
                    1,
                    LATENCY_MICROS,
                );
                let mut result = if code < 0 {
                    Err(format!(
                        "the sound device refused the format (ALSA error {code})"
                    ))
                } else {
                    Ok(())
                };
                let mut rest = samples;
                while result.is_ok() && !rest.is_empty() {
                    let written = write(pcm, rest.as_ptr().cast(), rest.len() as c_ulong);
                    if written >= 0 {
                        rest = &rest[written as usize..];
                    } else if recover(pcm, written as c_int, 1) < 0 {
                        result = Err(format!("sound output failed (ALSA error {written})"));
                    }
                }
                if result.is_ok() {
                    drain(pcm);
                }
                close(pcm);
                result
            }
        }

        /// # Safety
        /// `T` must be the symbol's real C signature.
        unsafe fn symbol<T>(&self, name: &[u8]) -> Result<Symbol<'_, T>, String> {
            // SAFETY: the caller vouches for the signature.
            unsafe { self.library.get(name) }
                .map_err(|e| format!("the system sound library lacks a call ({e})"))
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod output {
    //! No sound backend on this platform yet: the chime stays off with a log line.
    pub struct Output;
    pub const DEVICE: &std::ffi::CStr = c"default";

    impl Output {
        pub fn open() -> Result<Self, String> {
            Err("the chime is only played on Linux so far".into())
        }

        pub fn play(
            &self,
            _device: &std::ffi::CStr,
            _samples: &[i16],
            _rate: u32,
        ) -> Result<(), String> {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::exercise::NewInject;

    #[test]
    fn the_chime_is_short_quiet_and_starts_and_ends_silent() {
        let samples = samples(SAMPLE_RATE);
        let seconds = samples.len() as f32 / SAMPLE_RATE as f32;
        assert!((0.3..0.6).contains(&seconds), "{seconds} s");
        let peak = samples.iter().map(|s| s.unsigned_abs()).max().unwrap();
        assert!(
            peak > PEAK.unsigned_abs() / 2 && peak <= PEAK.unsigned_abs(),
            "{peak}"
        );
        // No click: the first and last samples of each note are near zero.
        let first_note = (NOTES[0].1 * SAMPLE_RATE as f32) as usize;
        for edge in [0, first_note - 1, first_note, samples.len() - 1] {
            assert!(
                samples[edge].unsigned_abs() < 300,
                "sample {edge}: {}",
                samples[edge]
            );
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_chime_plays_through_alsa_when_the_library_is_there() {
        match output::Output::open() {
            // ALSA's "null" device takes the samples and discards them: the whole path, silently.
            Ok(out) => out
                .play(c"null", &samples(SAMPLE_RATE), SAMPLE_RATE)
                .unwrap(),
            Err(e) => assert!(e.contains("sound library"), "{e}"),
        }
    }

    fn app_with_chime(on: bool) -> (App, mpsc::Receiver<()>) {
        let (send, receive) = mpsc::channel();
        let mut app = App::new();
        app.insert_resource(Chime::new(send))
            .insert_resource(UiSettings {
                chime: on,
                ..UiSettings::default()
            })
            .init_resource::<InjectBanner>()
            .add_systems(Update, chime_on_new_inject);
        app.update();
        (app, receive)
    }

    fn announce(app: &mut App, minute: u32) {
        app.world_mut().resource_mut::<InjectBanner>().0 = Some(NewInject {
            minute,
            title: "Ransom note on the file server".into(),
            more: 0,
        });
        app.update();
    }

    #[test]
    fn a_new_inject_rings_once_and_dismissing_it_does_not() {
        let (mut app, requests) = app_with_chime(true);
        assert!(requests.try_recv().is_err(), "nothing announced yet");
        announce(&mut app, 5);
        assert!(requests.try_recv().is_ok());
        app.update();
        assert!(requests.try_recv().is_err(), "one ring per announcement");
        app.world_mut().resource_mut::<InjectBanner>().0 = None;
        app.update();
        assert!(requests.try_recv().is_err(), "dismissing is silent");
        announce(&mut app, 10);
        assert!(requests.try_recv().is_ok());
    }

    #[test]
    fn the_chime_setting_off_keeps_it_silent() {
        let (mut app, requests) = app_with_chime(false);
        announce(&mut app, 5);
        assert!(requests.try_recv().is_err());
    }
}
