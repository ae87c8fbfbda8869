//! The wizard in the real webview: the built app under Xvfb, driven through tauri-driver.

use rovo_e2e::AppSession;

#[tokio::test]
async fn choosing_a_method_shows_what_rust_answered_and_leads_to_its_credentials() {
    let app = AppSession::start()
        .await
        .expect("the app starts under tauri-driver");

    let title = app.client.title().await.unwrap();
    assert_eq!(
        title, "Rovo MCP Setup",
        "the window title is the product name"
    );
    app.screenshot("method-step").await.unwrap();

    // A person clicks the card; its label covers the whole card, radio included.
    app.click("label[for=method-service]").await.unwrap();
    let answer = app.wait_for_text("#method-answer", "Bearer").await.unwrap();
    assert!(
        answer.contains("admin.atlassian.com"),
        "the answer from Rust says where a service key is created: {answer:?}"
    );

    app.click("label[for=method-personal]").await.unwrap();
    let answer = app
        .wait_for_text("#method-answer", "Basic base64(email:token)")
        .await
        .unwrap();
    assert!(
        answer.contains("id.atlassian.com/manage-profile/security/api-tokens"),
        "choosing again replaces the answer with the personal token's: {answer:?}"
    );
    app.screenshot("method-chosen").await.unwrap();

    app.click("#next").await.unwrap();
    let step = app.wait_for_text("#step-title", "").await.unwrap();
    let fields = app
        .client
        .find_all(fantoccini::Locator::Css("input[id^='credential-']"))
        .await
        .unwrap();
    assert_eq!(
        fields.len(),
        2,
        "step 2 ({step:?}) asks a personal token for email and token"
    );
    app.screenshot("credentials-step").await.unwrap();

    app.click("#back").await.unwrap();
    app.wait_for_text("#method-answer", "Basic").await.unwrap();
    let still_chosen = app
        .client
        .find(fantoccini::Locator::Css("#method-personal"))
        .await
        .unwrap()
        .prop("checked")
        .await
        .unwrap();
    assert_eq!(
        still_chosen.as_deref(),
        Some("true"),
        "going back keeps the choice"
    );

    app.close().await.unwrap();
}
