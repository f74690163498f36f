//! Waiting until the window shows something: every wait polls with a deadline and, on timeout,
//! fails with what the window shows, the app's log and a screenshot.

use std::future::Future;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::Locator;

use super::screen::take_screenshot;
use super::{is_final, slug, testid_css, xpath_literal, App, COMMAND_TIMEOUT, POLL, WAIT};

impl App<'_> {
    /// Waits for the element with `data-testid` to be shown, and returns it.
    pub async fn wait_for(&self, testid: &str) -> Element {
        let css = testid_css(testid);
        self.wait_until(&format!("[data-testid={testid}] is shown"), || async {
            let element = self.client.find(Locator::Css(&css)).await.ok()?;
            element.is_displayed().await.ok()?.then_some(element)
        })
        .await
    }

    /// Waits for the element with `data-testid` to show text containing `needle`; returns the text.
    pub async fn wait_for_text(&self, testid: &str, needle: &str) -> String {
        self.wait_for_text_within(testid, needle, WAIT).await
    }

    /// [`App::wait_for_text`] with its own time limit (slow work such as a 25,000-row workbook).
    pub async fn wait_for_text_within(
        &self,
        testid: &str,
        needle: &str,
        limit: Duration,
    ) -> String {
        let css = testid_css(testid);
        self.wait_until_within(
            &format!("[data-testid={testid}] says \"{needle}\""),
            limit,
            || async {
                for element in self.client.find_all(Locator::Css(&css)).await.ok()? {
                    let text = element.text().await.ok()?;
                    if text.contains(needle) {
                        return Some(text);
                    }
                }
                None
            },
        )
        .await
    }

    /// Waits for a top-level heading (`h1`) saying `text`: the screen is shown.
    pub async fn wait_for_heading(&self, text: &str) {
        let xpath = format!("//h1[normalize-space(.)={}]", xpath_literal(text));
        self.wait_until(&format!("the heading \"{text}\""), || async {
            let heading = self.client.find(Locator::XPath(&xpath)).await.ok()?;
            heading.is_displayed().await.ok()?.then_some(())
        })
        .await;
    }

    /// Waits for a button whose visible text is `text` to be shown.
    pub async fn wait_for_button(&self, text: &str) {
        let xpath = format!("//button[normalize-space(.)={}]", xpath_literal(text));
        self.wait_until(&format!("the button \"{text}\""), || async {
            let button = self.client.find(Locator::XPath(&xpath)).await.ok()?;
            button.is_displayed().await.ok()?.then_some(())
        })
        .await;
    }

    /// Waits until the window's text contains `needle`.
    pub async fn wait_for_page_text(&self, needle: &str) {
        self.wait_until(&format!("the window says \"{needle}\""), || async {
            let text = self
                .client
                .execute("return document.body.innerText;", Vec::new())
                .await
                .ok()?;
            text.as_str()?.contains(needle).then_some(())
        })
        .await;
    }

    /// Fails if an element with `data-testid` is in the page.
    pub async fn assert_absent(&self, testid: &str) {
        let found = self
            .command(
                &format!("look for [data-testid={testid}]"),
                self.client.find_all(Locator::Css(&testid_css(testid))),
            )
            .await;
        assert!(
            found.is_empty(),
            "[data-testid={testid}] should not be shown:\n{}",
            self.describe().await
        );
    }

    /// Fails if a button whose visible text is `text` is in the page.
    pub async fn assert_absent_button(&self, text: &str) {
        let xpath = format!("//button[normalize-space(.)={}]", xpath_literal(text));
        let found = self
            .command(
                &format!("look for the button \"{text}\""),
                self.client.find_all(Locator::XPath(&xpath)),
            )
            .await;
        assert!(
            found.is_empty(),
            "the button \"{text}\" should not be shown:\n{}",
            self.describe().await
        );
    }

    /// Fails unless the element with `data-testid` is inside the one with `container` and wholly
    /// in the window as it is (above the fold, without scrolling).
    pub async fn assert_above_the_fold(&self, testid: &str, container: &str) {
        let script = format!(
            "const element = document.querySelector('{}'); \
             if (!element) return 'missing'; \
             if (!element.closest('{}')) return 'not inside [data-testid={container}]'; \
             const box = element.getBoundingClientRect(); \
             return box.top >= 0 && box.bottom <= window.innerHeight \
                 ? 'shown' : `at ${{box.top}}–${{box.bottom}} px of ${{window.innerHeight}}`;",
            testid_css(testid),
            testid_css(container)
        );
        let answer = self
            .command(
                &format!("see where [data-testid={testid}] is"),
                self.client.execute(&script, Vec::new()),
            )
            .await;
        assert_eq!(
            answer.as_str(),
            Some("shown"),
            "[data-testid={testid}] is not above the fold in [data-testid={container}]:\n{}",
            self.describe().await
        );
    }

    /// Waits until the Jobs list has a row (`job-row`) in `state`.
    pub async fn wait_for_job_row(&self, state: &str) {
        let css = format!("{}[data-state=\"{state}\"]", testid_css("job-row"));
        self.wait_until(&format!("a job row is {state}"), || async {
            self.client.find(Locator::Css(&css)).await.ok().map(drop)
        })
        .await;
    }

    /// Waits until the job shown (`job-state`) is in `state`, failing early if it settles in
    /// another final state.
    pub async fn wait_for_job_state(&self, state: &str) {
        self.wait_for_job_state_within(state, WAIT).await;
    }

    /// Waits until the job page's state badge says anything but `state`.
    pub async fn wait_for_job_state_to_leave(&self, state: &str) {
        self.wait_until(&format!("the job is no longer {state}"), || async {
            let now = self.job_state().await?;
            (now != state).then_some(())
        })
        .await;
    }

    /// The state the job page's badge shows, if there is one.
    async fn job_state(&self) -> Option<String> {
        let badge = self
            .client
            .find(Locator::Css(&testid_css("job-state")))
            .await
            .ok()?;
        badge.attr("data-state").await.ok()?
    }

    /// [`App::wait_for_job_state`] for a job that takes longer than [`WAIT`] (a long ID list).
    pub async fn wait_for_job_state_within(&self, state: &str, limit: Duration) {
        self.wait_until_within(&format!("the job is {state}"), limit, || async {
            let now = self.job_state().await?;
            assert!(
                now == state || !is_final(&now),
                "the job ended {now}, expected {state}:\n{}",
                self.describe().await
            );
            (now == state).then_some(())
        })
        .await;
    }

    /// Polls `probe` every 200 ms until it answers, for at most [`WAIT`]; on timeout the test
    /// fails with `what` and what the window shows.
    pub async fn wait_until<T, F, Fut>(&self, what: &str, probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        self.wait_until_within(what, WAIT, probe).await
    }

    /// [`App::wait_until`] for at most `limit`.
    pub async fn wait_until_within<T, F, Fut>(&self, what: &str, limit: Duration, mut probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(Some(found)) = tokio::time::timeout(COMMAND_TIMEOUT, probe()).await {
                return found;
            }
            if Instant::now() > deadline {
                let shot = take_screenshot(&format!("failed-{}", slug(what)));
                panic!(
                    "waited {limit:?} for: {what}\n{}\nscreenshot: {}\n{}",
                    self.describe().await,
                    shot.display(),
                    self.desktop.log_tail()
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Runs one WebDriver command with a deadline; fails the test with the page's state otherwise.
    pub(super) async fn command<T>(
        &self,
        what: &str,
        command: impl Future<Output = Result<T, fantoccini::error::CmdError>>,
    ) -> T {
        match tokio::time::timeout(COMMAND_TIMEOUT, command).await {
            Ok(Ok(value)) => value,
            Ok(Err(error)) => panic!("{what}: {error}\n{}", self.describe().await),
            Err(_) => panic!("{what}: no answer in {COMMAND_TIMEOUT:?}"),
        }
    }
}
