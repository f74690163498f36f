//! `make soak`: the long form of the crash proof. Round after round, the person's flow runs through
//! the real CLI and is killed (SIGKILL) at random: a random kill point and occurrence, or a random
//! moment, up to three times a round; then every promise is checked against an undisturbed run
//! (see `tests/proof`). Prints the figures at the end. `BULK_COLLECT_SOAK_ROUNDS` (default 30)
//! and `BULK_COLLECT_SOAK_SEED` choose how long and which run.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::time::{Duration, Instant};

use bulk_collect_tests::proof::checks::broken_promises;
use bulk_collect_tests::proof::flow::Plan;
use bulk_collect_tests::proof::{fresh, reference, KILL_POINTS};
use rand::{Rng, SeedableRng};

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let rounds = env_number("BULK_COLLECT_SOAK_ROUNDS", 30);
    let seed = env_number("BULK_COLLECT_SOAK_SEED", 7);
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let started = Instant::now();
    let reference = reference().await;
    let (mut kills, mut commands, mut failures) = (0usize, 0usize, Vec::new());
    for round in 1..=rounds {
        let (sim, _dir, flow) = fresh().await;
        let mut rng_round = rand::rngs::StdRng::seed_from_u64(rng.random());
        let most = rng_round.random_range(1..=3usize);
        let story = flow
            .run(&sim, |_, so_far| {
                if so_far >= most {
                    return Plan::default();
                }
                if rng_round.random_bool(0.5) {
                    let (_, point) = KILL_POINTS[rng_round.random_range(0..KILL_POINTS.len())];
                    let name = point.split(':').next().unwrap_or(point);
                    let n = rng_round.random_range(1..=3);
                    Plan {
                        at: Some(format!("{name}:{n}")),
                        after: None,
                    }
                } else {
                    Plan {
                        at: None,
                        after: Some(Duration::from_millis(rng_round.random_range(20..3_000))),
                    }
                }
            })
            .await;
        kills += story.kills.len();
        commands += story.commands.len();
        let broken = broken_promises(&sim, &flow, &story, &reference).await;
        println!(
            "round {round}/{rounds}: {} — {}",
            story.commands.join(" → "),
            if broken.is_empty() {
                "all promises hold".to_owned()
            } else {
                format!("BROKEN: {broken:?}")
            }
        );
        if !broken.is_empty() {
            failures.push((round, broken));
        }
    }
    println!("\nSoak (seed {seed}): {rounds} rounds, {commands} CLI runs, {kills} SIGKILLs at random points and moments, {} rounds with a broken promise, {:.0} s", failures.len(), started.elapsed().as_secs_f64());
    if !failures.is_empty() {
        std::process::exit(1);
    }
}
