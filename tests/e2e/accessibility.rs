//! The wizard by keyboard alone and under an automated accessibility audit, in the real webview:
//! the demo (`--demo`) is walked from the first step to the last with Tab, Space, Enter and
//! typing only, and axe-core, run inside the webview on every step, finds no serious or
//! critical violation.

use std::path::Path;

use fantoccini::actions::{InputSource as _, KeyAction, KeyActions};
use fantoccini::key::Key;
use rovo_e2e::AppSession;
use rovo_test_support::leak_scan;

/// Adds the violations of the page `step` to `found`.
async fn audit(app: &AppSession, step: &str, found: &mut Vec<String>) {
    for violation in app.serious_accessibility_violations().await {
        found.push(format!("{step}: {violation}"));
    }
}

/// The id of the element that has the keyboard focus.
async fn focused(app: &AppSession) -> String {
    app.client
        .execute("return document.activeElement?.id ?? '';", vec![])
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Presses `keys` on whatever has the focus, as a person at the keyboard does: key actions,
/// not "send keys to an element", which would move the focus to that element first.
async fn press(app: &AppSession, keys: &str) {
    let actions = keys
        .chars()
        .fold(KeyActions::new("keyboard".to_owned()), |actions, key| {
            actions
                .then(KeyAction::Down { value: key })
                .then(KeyAction::Up { value: key })
        });
    app.client
        .perform_actions(actions)
        .await
        .expect("the keys reach the page");
}

/// Presses Tab until the element `id` has the focus; fails when 40 presses do not reach it.
async fn tab_to(app: &AppSession, id: &str) {
    for _ in 0..40 {
        if focused(app).await == id {
            return;
        }
        press(app, &String::from(char::from(Key::Tab))).await;
    }
    panic!(
        "Tab never reached #{id}; the focus is on #{}",
        focused(app).await
    );
}

fn enter() -> String {
    String::from(char::from(Key::Enter))
}

#[tokio::test]
async fn the_demo_is_walked_by_keyboard_alone_and_every_step_passes_the_audit() {
    let root = tempfile::tempdir().unwrap();
    let home = root.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    let home_text = home.display().to_string();
    let app = AppSession::start_with(&["--demo"], &[("HOME", home_text.as_str())])
        .await
        .expect("the demo starts under tauri-driver");
    let mut violations = Vec::new();

    audit(&app, "method", &mut violations).await;
    tab_to(&app, "method-personal").await;
    press(&app, " ").await;
    app.wait_for_text("#method-answer", "Basic").await.unwrap();
    tab_to(&app, "next").await;
    press(&app, &enter()).await;

    app.wait_for_text("#step-title", "credentials")
        .await
        .unwrap();
    assert_eq!(
        focused(&app).await,
        "step-title",
        "a new step moves the focus to its heading"
    );
    tab_to(&app, "credential-email").await;
    press(&app, "keyboard@example.com").await;
    tab_to(&app, "credential-apiToken").await;
    press(&app, leak_scan::SCOPED_TOKEN).await;
    audit(&app, "credentials", &mut violations).await;
    tab_to(&app, "next").await;
    press(&app, &enter()).await;

    app.wait_for_text("#check-outcome[data-outcome=ok]", "")
        .await
        .unwrap();
    audit(&app, "check", &mut violations).await;
    tab_to(&app, "next").await;
    press(&app, &enter()).await;

    app.wait_for_text("#tools-summary", "tools").await.unwrap();
    audit(&app, "tools", &mut violations).await;
    tab_to(&app, "next").await;
    press(&app, &enter()).await;

    app.wait_for_text("[data-client=cursor]", "Cursor")
        .await
        .unwrap();
    tab_to(&app, "preview").await;
    press(&app, &enter()).await;
    app.wait_for_text(".preview", "+++").await.unwrap();
    audit(&app, "clients", &mut violations).await;
    tab_to(&app, "next").await;
    press(&app, &enter()).await;

    app.wait_for_text(".results", "Cursor").await.unwrap();
    audit(&app, "write", &mut violations).await;
    tab_to(&app, "next").await;
    press(&app, &enter()).await;

    app.wait_for_text("#step-title", "All set").await.unwrap();
    audit(&app, "done", &mut violations).await;
    app.screenshot("keyboard-done").await.unwrap();
    app.close().await.unwrap();

    assert!(
        violations.is_empty(),
        "axe-core found serious or critical violations:\n{}",
        violations.join("\n")
    );
    assert!(
        !Path::new(&home).join(".cursor").exists(),
        "the keyboard walk ran in the demo's sandbox"
    );
}

#[tokio::test]
async fn a_dark_desktop_gets_the_dark_theme_and_it_passes_the_audit_too() {
    let root = tempfile::tempdir().unwrap();
    let home = root.path().display().to_string();
    let app = AppSession::start_with(
        &["--demo"],
        &[("HOME", home.as_str()), ("GTK_THEME", "Adwaita:dark")],
    )
    .await
    .expect("the demo starts under tauri-driver");
    let theme = app
        .client
        .execute(
            "return [matchMedia('(prefers-color-scheme: dark)').matches,
                     getComputedStyle(document.documentElement).backgroundColor];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        theme,
        serde_json::json!([true, "rgb(29, 33, 37)"]),
        "the page follows the desktop's dark theme"
    );
    let violations = app.serious_accessibility_violations().await;
    app.screenshot("dark-method").await.unwrap();
    app.close().await.unwrap();
    assert!(
        violations.is_empty(),
        "the dark theme passes the audit: {violations:#?}"
    );
}
