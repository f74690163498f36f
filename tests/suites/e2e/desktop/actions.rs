//! What a person does in the window: click, type, choose, read a value, scroll, quit.

use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::Locator;

use super::{
    is_running, single_instance_is_taken, testid_css, xpath_literal, App, COMMAND_TIMEOUT, POLL,
};

impl App<'_> {
    /// Quits the app (ends the session) and waits until its process is gone, so that the next
    /// [`Desktop::open`] is a real restart.
    pub async fn quit(self) {
        let desktop = self.desktop;
        let running = desktop.app_processes();
        assert!(
            !running.is_empty(),
            "the app's process is not found (bulk-collect in tauri-driver's process group)"
        );
        tokio::time::timeout(COMMAND_TIMEOUT, self.client.close())
            .await
            .expect("ending the WebDriver session hangs")
            .expect("the WebDriver session ends");
        // Gone means: the process has exited and the bus has let go of its single-instance name
        // (else the next start would hand over to the exiting app and quit).
        let deadline = Instant::now() + Duration::from_secs(20);
        while running.iter().any(|&pid| is_running(pid)) || single_instance_is_taken() {
            assert!(
                Instant::now() < deadline,
                "the app is still running 20 s after its session ended:\n{}",
                desktop.log_tail()
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Clicks the button whose visible text is `text`, once it is there and enabled.
    pub async fn click_button(&self, text: &str) {
        let xpath = format!("//button[normalize-space(.)={}]", xpath_literal(text));
        self.click(Locator::XPath(&xpath), &format!("the button \"{text}\""))
            .await;
    }

    /// Clicks the element with `data-testid`, once it is there and enabled.
    pub async fn click_testid(&self, testid: &str) {
        let css = testid_css(testid);
        self.click(Locator::Css(&css), &format!("[data-testid={testid}]"))
            .await;
    }

    async fn click(&self, locator: Locator<'_>, what: &str) {
        let element = self
            .wait_until(&format!("{what} can be clicked"), || async {
                let element = self.client.find(locator).await.ok()?;
                let ready =
                    element.is_displayed().await.ok()? && element.is_enabled().await.ok()?;
                ready.then_some(element)
            })
            .await;
        self.click_element(element, what).await;
    }

    /// Clicks `element`. WebKitWebDriver sometimes refuses a click with an empty error after
    /// scrolling (seen inside the sticky summary column and the code editor); the element is then
    /// scrolled to the middle of the window and clicked from a script, as a person's click would.
    async fn click_element(&self, element: Element, what: &str) {
        if let Ok(Ok(_)) = tokio::time::timeout(COMMAND_TIMEOUT, element.clone().click()).await {
            return;
        }
        let target = serde_json::to_value(&element).expect("an element reference is JSON");
        self.command(
            &format!("click {what} (from a script)"),
            self.client.execute(
                "arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus(); arguments[0].click();",
                vec![target],
            ),
        )
        .await;
    }

    /// Replaces the text of the input labelled `label` (its `<label for>`) with `text`.
    pub async fn fill_labelled(&self, label: &str, text: &str) {
        let xpath = format!(
            "//input[@id=//label[normalize-space(.)={}]/@for]",
            xpath_literal(label)
        );
        let input = self
            .wait_until(&format!("the field \"{label}\""), || async {
                let input = self.client.find(Locator::XPath(&xpath)).await.ok()?;
                input.is_displayed().await.ok()?.then_some(input)
            })
            .await;
        self.command(&format!("type into \"{label}\""), input.send_keys(text))
            .await;
    }

    /// Replaces the text of an input (by `data-testid`) with `text`, as typed.
    pub async fn fill(&self, testid: &str, text: &str) {
        let input = self.wait_for(testid).await;
        self.command(&format!("clear [data-testid={testid}]"), input.clear())
            .await;
        self.command(
            &format!("type into [data-testid={testid}]"),
            input.send_keys(text),
        )
        .await;
    }

    /// Types `text` into the CodeMirror query editor, opening *Advanced: query code* first if it
    /// is still folded (a click on it can miss while the page is still laying itself out).
    pub async fn type_query(&self, text: &str) {
        let summary = format!("{} > summary", testid_css("query-code"));
        self.wait_until("the query code is unfolded", || async {
            let open = self
                .client
                .execute(
                    "return document.querySelector('[data-testid=query-code]')?.open === true;",
                    Vec::new(),
                )
                .await
                .ok()?;
            if open.as_bool() == Some(true) {
                return Some(());
            }
            let fold = self.client.find(Locator::Css(&summary)).await.ok()?;
            let _ = fold.click().await;
            None
        })
        .await;
        self.wait_for("query-editor").await;
        let content = self
            .command(
                "find the editor's text area",
                self.client.find(Locator::Css(&format!(
                    "{} .cm-content",
                    testid_css("query-editor")
                ))),
            )
            .await;
        self.click_element(content.clone(), "into the editor").await;
        self.command("type the query", content.send_keys(text))
            .await;
    }

    /// Chooses the option with `value` in the `<select>` with `data-testid`.
    pub async fn select(&self, testid: &str, value: &str) {
        let select = self.wait_for(testid).await;
        self.command(
            &format!("choose {value} in [data-testid={testid}]"),
            select.select_by_value(value),
        )
        .await;
    }

    /// The text of the element with `data-testid` (which must be there).
    pub async fn text(&self, testid: &str) -> String {
        let element = self.wait_for(testid).await;
        self.command(&format!("read [data-testid={testid}]"), element.text())
            .await
    }

    /// The current value of the input with `data-testid` (which must be there).
    pub async fn value(&self, testid: &str) -> String {
        let element = self.wait_for(testid).await;
        self.command(
            &format!("read the value of [data-testid={testid}]"),
            element.prop("value"),
        )
        .await
        .unwrap_or_default()
    }

    /// Runs `script` (a function body, `return` gives the answer) in the window; `what` names it
    /// in a failure.
    pub async fn script(&self, what: &str, script: &str) -> serde_json::Value {
        self.command(what, self.client.execute(script, Vec::new()))
            .await
    }

    /// Scrolls the element with `data-testid` to the middle of the window (for screenshots).
    pub async fn scroll_to(&self, testid: &str) {
        let element = self.wait_for(testid).await;
        let script = "arguments[0].scrollIntoView({ block: 'center' });";
        let argument = serde_json::to_value(&element).expect("an element as JSON");
        self.command(
            &format!("scroll to [data-testid={testid}]"),
            self.client.execute(script, vec![argument]),
        )
        .await;
    }
}
