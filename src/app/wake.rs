//! Waking the window from other threads: the room host's, a grading's, the file watcher's.

/// Wakes the window from another thread (the room host's, a grading's), so the app can sleep
/// until something it waits for is done; `None` without a window (headless tests).
pub fn window_waker(
    window_loop: Option<&bevy::winit::EventLoopProxyWrapper>,
) -> Option<Box<dyn Fn() + Send + Sync>> {
    let proxy = std::sync::Mutex::new((**window_loop?).clone());
    Some(Box::new(move || {
        if let Ok(proxy) = proxy.lock() {
            // A closed window has nothing to wake.
            let _ = proxy.send_event(bevy::winit::WinitUserEvent::WakeUp);
        }
    }))
}
