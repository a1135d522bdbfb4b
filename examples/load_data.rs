//! Loads a dataset folder and prints how long it took and what it holds:
//!
//! ```text
//! cargo run --release --example load_data -- ../shared/data/mnist
//! ```
//!
//! Memory is about the size of the uncompressed files, since images stay
//! `u8` until a batch is gathered.

use std::path::PathBuf;
use std::time::Instant;

use initlab::data::resolve::load_dir;
use initlab::data::Origin;

/// Load runs timed; the fastest is reported, so the figure does not
/// depend on whether the files were in the page cache.
const RUNS: usize = 5;

fn main() -> Result<(), initlab::Error> {
    let dir: PathBuf =
        std::env::args_os().nth(1).map_or("../shared/data/mnist".into(), PathBuf::from);
    let mut best = f64::INFINITY;
    let mut splits = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        splits = Some(load_dir(&dir, Origin::Dir, None)?);
        best = best.min(start.elapsed().as_secs_f64() * 1e3);
    }
    let splits = splits.expect("RUNS > 0");
    let bytes = |d: &initlab::data::Dataset| d.images().len() + d.labels().len();
    println!("{}", dir.display());
    println!("  train {} images, test {} images", splits.train.len(), splits.test.len());
    println!(
        "  held in memory: {:.1} MB",
        (bytes(&splits.train) + bytes(&splits.test)) as f64 / 1e6
    );
    println!("  load time: {best:.1} ms (best of {RUNS})");
    Ok(())
}
