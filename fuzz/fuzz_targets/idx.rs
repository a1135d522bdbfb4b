//! Feeds arbitrary bytes to the IDX reader, gzipped or not, as an image file
//! and as a label file: it must return a value or an error, never panic,
//! and never allocate more than the input announces and holds.

#![no_main]

use std::path::Path;

use initlab::data::idx;
use initlab::data::NUM_CLASSES;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz-input");
    let Ok(bytes) = idx::decode(path, data.to_vec()) else { return };
    if let Ok(images) = idx::parse_images(path, bytes.clone()) {
        assert_eq!(images.pixels.len(), images.count * images.rows * images.cols);
    }
    if let Ok(labels) = idx::parse_labels(path, bytes, NUM_CLASSES) {
        assert!(labels.iter().all(|&label| usize::from(label) < NUM_CLASSES));
    }
});
