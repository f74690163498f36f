//! The look, measured in the running app: every field and button edge against what it sits on
//! (at least 3:1, WCAG 1.4.11) and the sidebar's running count against its badge (at least 4.5:1,
//! WCAG 1.4.3), read with `getComputedStyle` on three screens, in the light and the dark theme
//! (the app's own setting, as a person switches it). The ratios are WCAG's formula, computed here.

use serde::Deserialize;

use crate::desktop::{App, Desktop, ExternalSim, Setup};

/// What the window says about one control's edge: its colour and the backgrounds behind it,
/// from its parent outwards up to the first opaque one.
#[derive(Debug, Deserialize)]
struct Edge {
    what: String,
    border: String,
    behind: Vec<String>,
}

/// The running count's text and badge colours, and what is behind the badge.
#[derive(Debug, Deserialize)]
struct Count {
    color: String,
    background: String,
    behind: Vec<String>,
}

/// Reads the edges of the visible, enabled fields and buttons that draw one (a transparent
/// border is no edge: such a button is a link in looks), and the running count.
const MEASURE: &str = r##"
    const opaque = (colour) => colour.startsWith("rgb(");
    const behind = (element) => {
        const chain = [];
        for (let at = element.parentElement; at; at = at.parentElement) {
            const background = getComputedStyle(at).backgroundColor;
            chain.push(background);
            if (opaque(background)) break;
        }
        return chain;
    };
    const name = (element) => {
        const id = element.dataset.testid ?? element.id ?? "";
        const text = (element.innerText ?? element.value ?? "").trim().slice(0, 30);
        return `${element.tagName.toLowerCase()}${id ? "#" + id : ""} "${text}"`;
    };
    const controls = "button, input:not([type=checkbox]):not([type=radio]):not([type=hidden]), \
        select, textarea, summary, .cm-editor";
    const edges = [];
    for (const element of document.querySelectorAll(controls)) {
        const style = getComputedStyle(element);
        const box = element.getBoundingClientRect();
        if (box.width === 0 || box.height === 0 || style.visibility === "hidden") continue;
        if (element.disabled) continue; // inactive controls are exempt (WCAG 1.4.11)
        if (style.borderTopStyle === "none" || parseFloat(style.borderTopWidth) === 0) continue;
        edges.push({ what: name(element), border: style.borderTopColor, behind: behind(element) });
    }
    const badge = document.querySelector("[data-testid=running-count]");
    const count = badge && {
        color: getComputedStyle(badge).color,
        background: getComputedStyle(badge).backgroundColor,
        behind: behind(badge),
    };
    return { edges, count, theme: document.documentElement.dataset.theme };
"##;

/// Live mode, one collection kept waiting (the sidebar counts it), then each screen measured in
/// light and in dark; pictures of the dark theme.
pub async fn edges_and_running_count_contrast() {
    let sim = ExternalSim::start(&["--processing-ms", "600000"]);
    let desktop = Desktop::start(Setup {
        api_base: Some(sim.api_base()),
        ..Setup::default()
    })
    .await;
    let app = desktop.open().await;
    crate::e2e::enter_key_on_first_run(&app).await;
    app.click_testid("nav-new").await;
    app.select("template-select", "example:python-germany")
        .await;
    app.fill("limit-input", "10").await;
    app.wait_for_text("cost-records", "10 profiles").await;
    app.click_testid("collect-button").await;
    app.click_button("Yes, collect").await;
    app.wait_for_job_state("processing").await;
    app.wait_for("running-count").await;

    let mut failures = Vec::new();
    for theme in ["light", "dark"] {
        if theme == "dark" {
            choose_dark(&app).await;
        }
        for screen in ["job", "new", "settings"] {
            open_screen(&app, screen).await;
            if theme == "dark" && screen != "settings" {
                app.screenshot(&format!("dark-{screen}")).await;
            }
            failures.extend(measure(&app, theme, screen).await);
        }
    }
    assert!(
        failures.is_empty(),
        "below WCAG's minimum:\n{}",
        failures.join("\n")
    );
    app.quit().await;
}

/// Settings → Colours → Dark, as a person does; the window turns dark.
async fn choose_dark(app: &App<'_>) {
    open_screen(app, "settings").await;
    app.script(
        "choose the dark colours",
        "document.querySelector('input[name=theme][value=dark]').click();",
    )
    .await;
    app.wait_until("the window is dark", || async {
        let theme = app
            .script(
                "read the theme",
                "return document.documentElement.dataset.theme;",
            )
            .await;
        (theme.as_str() == Some("dark")).then_some(())
    })
    .await;
}

async fn open_screen(app: &App<'_>, screen: &str) {
    match screen {
        "job" => {
            app.click_testid("nav-jobs").await;
            app.click_testid("job-open").await;
            app.wait_for("job-progress").await;
        }
        "new" => {
            app.click_testid("nav-new").await;
            // The search is still there: its count comes by itself.
            app.wait_for_text("cost-records", "10 profiles").await;
        }
        _ => {
            app.click_testid("nav-settings").await;
            app.wait_for_heading("Settings").await;
        }
    }
}

/// Measures the screen shown; prints every figure and returns those below the minimum.
async fn measure(app: &App<'_>, theme: &str, screen: &str) -> Vec<String> {
    #[derive(Deserialize)]
    struct Shown {
        edges: Vec<Edge>,
        count: Option<Count>,
        theme: String,
    }
    let shown: Shown = serde_json::from_value(app.script("measure the colours", MEASURE).await)
        .expect("the measurement's shape");
    assert_eq!(shown.theme, theme, "the window's theme");
    let mut failures = Vec::new();
    let mut lowest: Option<(f64, String)> = None;
    for edge in &shown.edges {
        let Some(ratio) = edge_ratio(&edge.border, &edge.behind) else {
            continue; // a transparent edge
        };
        if lowest.as_ref().is_none_or(|(low, _)| ratio < *low) {
            lowest = Some((ratio, edge.what.clone()));
        }
        if ratio < 3.0 {
            failures.push(format!(
                "{theme} {screen}: {} edge {ratio:.2}:1 ({} on {:?})",
                edge.what, edge.border, edge.behind
            ));
        }
    }
    if let Some((ratio, what)) = &lowest {
        println!(
            "contrast {theme} {screen}: {} edges, lowest {ratio:.2}:1 ({what})",
            shown.edges.len()
        );
    }
    let count = shown.count.expect("the sidebar's running count");
    let badge = composite(&count.background, &count.behind);
    let text = blend(parse(&count.color).expect("a colour"), badge);
    let ratio = contrast(text, badge);
    println!("contrast {theme} {screen}: running count {ratio:.2}:1");
    if ratio < 4.5 {
        failures.push(format!("{theme} {screen}: running count {ratio:.2}:1"));
    }
    failures
}

/// An RGB colour, 0–255 per channel, with its alpha (0–1).
type Rgba = [f64; 4];

/// Parses `rgb(r, g, b)` and `rgba(r, g, b, a)` as `getComputedStyle` gives them.
fn parse(colour: &str) -> Option<Rgba> {
    let inner = colour
        .trim()
        .strip_prefix("rgba(")
        .or_else(|| colour.trim().strip_prefix("rgb("))?
        .strip_suffix(')')?;
    let parts: Vec<f64> = inner
        .split(',')
        .map(|part| part.trim().parse().ok())
        .collect::<Option<_>>()?;
    match parts.as_slice() {
        [r, g, b] => Some([*r, *g, *b, 1.0]),
        [r, g, b, a] => Some([*r, *g, *b, *a]),
        _ => None,
    }
}

/// `top` painted over the opaque `under`.
fn blend(top: Rgba, under: Rgba) -> Rgba {
    let a = top[3];
    [
        top[0] * a + under[0] * (1.0 - a),
        top[1] * a + under[1] * (1.0 - a),
        top[2] * a + under[2] * (1.0 - a),
        1.0,
    ]
}

/// `colour` over the backgrounds `behind` (innermost first, the last one opaque; white if none
/// is, as a page without a background is drawn).
fn composite(colour: &str, behind: &[String]) -> Rgba {
    let mut under = [255.0, 255.0, 255.0, 1.0];
    for layer in behind.iter().rev().filter_map(|layer| parse(layer)) {
        under = blend(layer, under);
    }
    parse(colour).map_or(under, |top| blend(top, under))
}

/// The contrast of an edge of colour `border` on the backgrounds `behind`; `None` when the edge
/// is fully transparent.
fn edge_ratio(border: &str, behind: &[String]) -> Option<f64> {
    let edge = parse(border).filter(|colour| colour[3] > 0.0)?;
    let under = composite("rgba(0, 0, 0, 0)", behind);
    Some(contrast(blend(edge, under), under))
}

/// WCAG 2's relative luminance of an opaque colour.
fn luminance(colour: Rgba) -> f64 {
    let channel = |value: f64| {
        let c = value / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(colour[0]) + 0.7152 * channel(colour[1]) + 0.0722 * channel(colour[2])
}

/// WCAG 2's contrast ratio of two opaque colours (1 to 21).
fn contrast(a: Rgba, b: Rgba) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wcag_ratio_of_known_pairs() {
        let black = parse("rgb(0, 0, 0)").unwrap();
        let white = parse("rgb(255, 255, 255)").unwrap();
        assert!((contrast(black, white) - 21.0).abs() < 1e-9);
        // The old edge colour on white: 1.65:1.
        let old = parse("rgb(195, 202, 213)").unwrap();
        assert!((contrast(old, white) - 1.65).abs() < 0.01);
    }

    #[test]
    fn a_see_through_edge_is_measured_over_what_is_behind_it() {
        let behind = [
            "rgba(0, 0, 0, 0)".to_owned(),
            "rgb(255, 255, 255)".to_owned(),
        ];
        assert_eq!(edge_ratio("rgba(0, 0, 0, 0)", &behind), None);
        let half = edge_ratio("rgba(0, 0, 0, 0.5)", &behind).unwrap();
        let grey = contrast([127.5, 127.5, 127.5, 1.0], [255.0, 255.0, 255.0, 1.0]);
        assert!((half - grey).abs() < 1e-9);
    }
}
