//! Finding a dataset's files, checking their digests and loading them.
//!
//! A [`DataSource::Dir`] is read as it is: any IDX files under the standard
//! names (a subset of MNIST, say), their digests reported but not required.
//! A [`DataSource::Known`] dataset is looked for, each step logged at info:
//!
//! ```text
//! 1. $INITLAB_DATA/<name>               used as found, digests reported
//! 2. <cache>/initlab/<name>             digests verified (~/.cache on Linux)
//! 3. system folders (fashion-mnist:     digests verified
//!    /usr/share/datasets/fashion-mnist)
//! 4. download into the cache            digests verified while streaming
//! ```
//!
//! A file may be gzipped or not, under its standard name with or without
//! `.gz`. When nothing is found and the download fails, one error says
//! where initlab looked, each address it tried and why that failed, the
//! four file names, and how to point initlab at the data (`--data`,
//! `INITLAB_DATA`).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::data::dataset::{Dataset, NUM_CLASSES};
use crate::data::download::{self, Attempt, DownloadEvent, Wanted, MIRROR_ENV};
use crate::data::idx;
use crate::data::known::{FileRole, KnownDataset};
use crate::data::verify::{read_checked, FileCheck, Verdict};
use crate::Error;

/// The roles of the training split's files: images, labels.
const TRAIN: [FileRole; 2] = [FileRole::TrainImages, FileRole::TrainLabels];

/// The roles of the test split's files: images, labels.
const TEST: [FileRole; 2] = [FileRole::TestImages, FileRole::TestLabels];

/// Environment variable naming a folder that holds one subfolder per
/// dataset (`$INITLAB_DATA/mnist/...`).
pub const DATA_ENV: &str = "INITLAB_DATA";

/// Where a dataset comes from. In a spec: `data = { dataset = "mnist" }` or
/// `data = { dir = "../shared/data/mnist" }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DataSource {
    /// A known dataset, found or downloaded as the module doc says.
    #[serde(rename = "dataset")]
    Known(KnownDataset),
    /// A folder holding the four files under their standard names.
    Dir(PathBuf),
}

impl DataSource {
    /// The source a command line asks for: the folder of `--data` if given,
    /// else the named dataset, else MNIST.
    pub fn from_flags(dataset: Option<KnownDataset>, dir: Option<PathBuf>) -> Self {
        match (dir, dataset) {
            (Some(dir), _) => DataSource::Dir(dir),
            (None, dataset) => DataSource::Known(dataset.unwrap_or(KnownDataset::Mnist)),
        }
    }
}

impl Default for DataSource {
    /// MNIST, the book's dataset.
    fn default() -> Self {
        DataSource::Known(KnownDataset::Mnist)
    }
}

impl std::fmt::Display for DataSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DataSource::Known(dataset) => write!(f, "{dataset}"),
            DataSource::Dir(dir) => write!(f, "folder {}", dir.display()),
        }
    }
}

/// The places resolution looks in, and whether it may download. Built from
/// the environment by [`Locations::from_env`]; tests build it by hand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Locations {
    /// `$INITLAB_DATA`: a folder with one subfolder per dataset.
    pub data_root: Option<PathBuf>,
    /// The folder downloads go to, one subfolder per dataset.
    pub cache_root: Option<PathBuf>,
    /// Whether to look in system folders such as Debian's.
    pub system_dirs: bool,
    /// Base URLs that replace the dataset's built-in mirrors.
    pub mirrors: Option<Vec<String>>,
    /// Whether to download what is not found.
    pub download: bool,
}

impl Locations {
    /// `$INITLAB_DATA`, the user's cache folder (`~/.cache/initlab` on
    /// Linux), system folders, `$INITLAB_MIRROR`, downloads allowed.
    pub fn from_env() -> Self {
        let data_root = std::env::var_os(DATA_ENV).filter(|v| !v.is_empty()).map(PathBuf::from);
        Locations {
            data_root,
            cache_root: dirs::cache_dir().map(|dir| dir.join("initlab")),
            system_dirs: true,
            mirrors: download::mirrors_from_env(),
            download: true,
        }
    }

    /// The mirrors to try for `dataset`.
    pub fn mirrors_for(&self, dataset: KnownDataset) -> Vec<String> {
        match &self.mirrors {
            Some(mirrors) => mirrors.clone(),
            None => dataset.mirrors().iter().map(|m| m.to_string()).collect(),
        }
    }
}

/// How the files were found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    /// A folder given by the user (`--data`).
    Dir,
    /// `$INITLAB_DATA/<name>`.
    DataEnv,
    /// The cache folder.
    Cache,
    /// A system folder.
    System,
    /// Downloaded into the cache folder just now.
    Downloaded,
}

/// A training and a test split, and where they came from.
#[derive(Clone, Debug)]
pub struct Splits {
    /// The training split (60,000 images for the full MNIST).
    pub train: Dataset,
    /// The test split (10,000 images).
    pub test: Dataset,
    /// The folder the files were read from.
    pub dir: PathBuf,
    /// How that folder was found.
    pub origin: Origin,
    /// The known dataset asked for, if one was.
    pub dataset: Option<KnownDataset>,
    /// The four files, in [`FileRole::ALL`] order.
    pub files: Vec<FileCheck>,
}

/// Finds and loads `source` with the [`Locations`] of the environment,
/// downloading without progress reports if needed.
///
/// # Errors
///
/// As [`load_with`].
pub fn load(source: &DataSource) -> Result<Splits, Error> {
    load_with(source, &Locations::from_env(), &mut |_| {})
}

/// Finds and loads `source`, looking in `locations` (see the module doc).
///
/// # Errors
///
/// - [`Error::DataNotFound`]: a folder lacks some of the four files (naming
///   the folder and each missing file), or a known dataset was found nowhere
///   and could not be downloaded (naming every place and address tried).
/// - [`Error::Format`]: a file is malformed, the splits' image sizes differ,
///   or a cached or system copy of a known dataset fails its digest.
/// - [`Error::Io`]: a file or the cache folder cannot be read or written.
pub fn load_with(
    source: &DataSource,
    locations: &Locations,
    progress: &mut dyn FnMut(DownloadEvent),
) -> Result<Splits, Error> {
    match source {
        DataSource::Dir(dir) => {
            log::info!("reading data from {} (given folder)", dir.display());
            load_dir(dir, Origin::Dir, None)
        }
        DataSource::Known(dataset) => resolve_known(*dataset, locations, progress),
    }
}

/// Steps 1 to 4 of the module doc for a known dataset.
fn resolve_known(
    dataset: KnownDataset,
    locations: &Locations,
    progress: &mut dyn FnMut(DownloadEvent),
) -> Result<Splits, Error> {
    let name = dataset.name();
    let mut looked = Vec::new();
    match &locations.data_root {
        Some(root) if root.join(name).is_dir() => {
            let dir = root.join(name);
            log::info!("{name}: found {} (${DATA_ENV})", dir.display());
            return load_dir(&dir, Origin::DataEnv, Some(dataset));
        }
        Some(root) => {
            looked.push(format!("{}: no such folder (${DATA_ENV})", root.join(name).display()))
        }
        None => looked.push(format!("${DATA_ENV}: not set")),
    }
    log::info!("{name}: {}", looked[0]);
    let cache = locations.cache_root.as_ref().map(|root| root.join(name));
    let mut candidates: Vec<(PathBuf, Origin)> =
        cache.iter().map(|c| (c.clone(), Origin::Cache)).collect();
    if locations.system_dirs {
        candidates.extend(dataset.system_dirs().iter().map(|d| (PathBuf::from(d), Origin::System)));
    }
    for (dir, origin) in candidates {
        match missing_files(&dir) {
            Some(missing) if missing.is_empty() => {
                log::info!("{name}: found {} ({})", dir.display(), origin_name(origin));
                return verified(load_dir(&dir, origin, Some(dataset))?);
            }
            Some(missing) => {
                looked.push(format!("{}: missing {}", dir.display(), missing.join(", ")))
            }
            None => looked.push(format!("{}: no such folder", dir.display())),
        }
        log::info!("{name}: {}", looked.last().expect("just pushed"));
    }
    download_and_load(dataset, cache, locations, looked, progress)
}

/// Step 4: fetch into the cache and load, or explain everything.
fn download_and_load(
    dataset: KnownDataset,
    cache: Option<PathBuf>,
    locations: &Locations,
    looked: Vec<String>,
    progress: &mut dyn FnMut(DownloadEvent),
) -> Result<Splits, Error> {
    let attempts = match (&cache, locations.download) {
        (Some(dir), true) => {
            let mirrors = locations.mirrors_for(dataset);
            match fetch_into(dataset, &FileRole::ALL, dir, &mirrors, progress)? {
                Ok(()) => return verified(load_dir(dir, Origin::Downloaded, Some(dataset))?),
                Err(attempts) => attempts,
            }
        }
        (None, true) => {
            vec![Attempt { url: "-".into(), reason: "no cache folder to download into".into() }]
        }
        (_, false) => Vec::new(),
    };
    Err(not_found(dataset, &looked, &attempts))
}

/// Downloads the files of `roles` that `dir` lacks, or whose digest is not
/// the published one, from the first mirror that serves each intact.
///
/// `Ok(Err(attempts))` means a file could not be had from any mirror; the
/// attempts say what was tried for it, and later files were not tried.
///
/// # Errors
///
/// [`Error::Io`] if `dir` cannot be created, read or written.
pub fn fetch_into(
    dataset: KnownDataset,
    roles: &[FileRole],
    dir: &Path,
    mirrors: &[String],
    progress: &mut dyn FnMut(DownloadEvent),
) -> Result<Result<(), Vec<Attempt>>, Error> {
    for &role in roles {
        let known = dataset.file(role);
        let path = dir.join(role.file_name());
        if path.is_file() {
            let bytes = fs::read(&path).map_err(|e| Error::io(&path, e))?;
            if download::sha256_hex(&bytes) == known.sha256 {
                log::info!("{}: already there, digest verified", path.display());
                continue;
            }
            log::info!("{}: digest differs from the published one, fetching again", path.display());
        }
        let wanted = Wanted { file_name: role.file_name(), sha256: known.sha256 };
        if let Err(attempts) = download::download_file(mirrors, wanted, dir, progress)? {
            return Ok(Err(attempts));
        }
    }
    Ok(Ok(()))
}

/// Downloads whatever the cache folder lacks of `dataset` (or holds with
/// a wrong digest) and returns the folder: what `initlab data fetch` does.
///
/// # Errors
///
/// [`Error::DataNotFound`] listing each address tried and why it failed,
/// with the hint of [`load_with`]; [`Error::Io`] if the cache folder cannot
/// be written.
pub fn fetch(
    dataset: KnownDataset,
    locations: &Locations,
    progress: &mut dyn FnMut(DownloadEvent),
) -> Result<PathBuf, Error> {
    let Some(root) = &locations.cache_root else {
        let message = format!("cannot fetch {dataset}: no cache folder (is $HOME set?)");
        return Err(Error::DataNotFound { message });
    };
    let dir = root.join(dataset.name());
    let mirrors = locations.mirrors_for(dataset);
    match fetch_into(dataset, &FileRole::ALL, &dir, &mirrors, progress)? {
        Ok(()) => Ok(dir),
        Err(attempts) => {
            let headline = format!("could not download {dataset} into {}", dir.display());
            Err(explain(&headline, dataset, &[], &attempts))
        }
    }
}

/// The one error for a dataset found nowhere.
fn not_found(dataset: KnownDataset, looked: &[String], attempts: &[Attempt]) -> Error {
    let headline = format!("{dataset} not found and could not be downloaded");
    explain(&headline, dataset, looked, attempts)
}

/// An error that lists the places looked in and the addresses tried, then
/// says how to point initlab at the files.
fn explain(
    headline: &str,
    dataset: KnownDataset,
    looked: &[String],
    attempts: &[Attempt],
) -> Error {
    let name = dataset.name();
    let mut message = headline.to_string();
    if !looked.is_empty() {
        message.push_str("\n  looked in:");
        for place in looked {
            let _ = write!(message, "\n    {place}");
        }
    }
    if attempts.is_empty() {
        message.push_str("\n  downloads: turned off");
    } else {
        message.push_str("\n  tried:");
        for attempt in attempts {
            let _ = write!(message, "\n    {}: {}", attempt.url, attempt.reason);
        }
    }
    let files = FileRole::ALL.map(FileRole::file_name).join(", ");
    let _ = write!(
        message,
        "\n  hint: put the four files ({files}) in a folder and pass it with --data DIR, \
         or set {DATA_ENV} to a folder holding {name}/ with them, \
         or set {MIRROR_ENV} to a mirror that serves them"
    );
    Error::DataNotFound { message }
}

/// The log name of an origin.
fn origin_name(origin: Origin) -> &'static str {
    match origin {
        Origin::Dir => "given folder",
        Origin::DataEnv => DATA_ENV,
        Origin::Cache => "cache",
        Origin::System => "system folder",
        Origin::Downloaded => "downloaded",
    }
}

/// The path of `role`'s file in `dir`: the standard name, or the same
/// without `.gz`; `None` if neither is a file.
pub fn find_file(dir: &Path, role: FileRole) -> Option<PathBuf> {
    [role.file_name(), role.raw_file_name()].into_iter().map(|n| dir.join(n)).find(|p| p.is_file())
}

/// The standard names of the files missing from `dir`, or `None` if `dir`
/// is not a folder.
fn missing_files(dir: &Path) -> Option<Vec<&'static str>> {
    dir.is_dir().then(|| {
        FileRole::ALL
            .into_iter()
            .filter(|&r| find_file(dir, r).is_none())
            .map(FileRole::file_name)
            .collect()
    })
}

/// Fails unless every file of a known dataset holds the published data.
fn verified(splits: Splits) -> Result<Splits, Error> {
    let dataset = splits.dataset.expect("only known datasets are verified");
    for file in &splits.files {
        if !matches!(file.verdict, Verdict::Published(d) | Verdict::SameContent(d) if d == dataset)
        {
            let published = dataset.file(file.role).sha256;
            return Err(Error::Format {
                path: file.path.clone(),
                expected: format!("the published {dataset} file (sha-256 {published})"),
                found: format!(
                    "sha-256 {}; delete it, or run `initlab data fetch {dataset}` to fetch it again",
                    file.sha256
                ),
            });
        }
    }
    Ok(splits)
}

/// Loads the four files in `dir`, the splits in parallel, comparing digests
/// with `dataset`'s (or with every known dataset's if `None`).
///
/// # Errors
///
/// As [`load_with`], less the digest checks of known datasets.
pub fn load_dir(
    dir: &Path,
    origin: Origin,
    dataset: Option<KnownDataset>,
) -> Result<Splits, Error> {
    let paths = locate(dir)?;
    let (train, test) = std::thread::scope(|scope| {
        let train = scope.spawn(|| load_split([&paths[0], &paths[1]], TRAIN, dataset));
        let test = load_split([&paths[2], &paths[3]], TEST, dataset);
        (train.join().expect("loading the training split panicked"), test)
    });
    let ((train, train_files), (test, test_files)) = (train?, test?);
    if (test.rows(), test.cols()) != (train.rows(), train.cols()) {
        return Err(Error::Format {
            path: paths[2].clone(),
            expected: format!(
                "images of {}×{} like the training images",
                train.rows(),
                train.cols()
            ),
            found: format!("{}×{}", test.rows(), test.cols()),
        });
    }
    let files = train_files.into_iter().chain(test_files).collect();
    log::info!("{}: {} training and {} test images", dir.display(), train.len(), test.len());
    Ok(Splits { train, test, dir: dir.to_path_buf(), origin, dataset, files })
}

/// The four files' paths in [`FileRole::ALL`] order.
fn locate(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let found: Vec<Option<PathBuf>> = FileRole::ALL.iter().map(|&r| find_file(dir, r)).collect();
    if found.iter().all(Option::is_some) {
        return Ok(found.into_iter().flatten().collect());
    }
    let missing: Vec<&str> = FileRole::ALL
        .iter()
        .zip(&found)
        .filter(|(_, f)| f.is_none())
        .map(|(r, _)| r.file_name())
        .collect();
    let what = if dir.is_dir() { "lacks" } else { "does not exist; it should hold" };
    Err(Error::DataNotFound {
        message: format!(
            "{}: folder {what} {} (also accepted without .gz); pass a folder holding all four \
             files with --data DIR",
            dir.display(),
            missing.join(", ")
        ),
    })
}

/// Reads one split's image and label files and checks them.
fn load_split(
    [images, labels]: [&Path; 2],
    roles: [FileRole; 2],
    dataset: Option<KnownDataset>,
) -> Result<(Dataset, [FileCheck; 2]), Error> {
    let (image_bytes, image_check) = read_checked(images, roles[0], dataset)?;
    let (label_bytes, label_check) = read_checked(labels, roles[1], dataset)?;
    let parsed = idx::parse_images(images, image_bytes)?;
    let labels_parsed = idx::parse_labels(labels, label_bytes, NUM_CLASSES)?;
    let split = Dataset::from_idx_parts(parsed, labels_parsed, NUM_CLASSES, [images, labels])?;
    Ok((split, [image_check, label_check]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Deserialize, Serialize)]
    struct Spec {
        data: DataSource,
    }

    #[test]
    fn data_source_in_toml() {
        let spec: Spec = toml::from_str("data = { dataset = \"fashion-mnist\" }").unwrap();
        assert_eq!(spec.data, DataSource::Known(KnownDataset::FashionMnist));
        let spec: Spec = toml::from_str("[data]\ndir = \"../shared/data/mnist\"").unwrap();
        assert_eq!(spec.data, DataSource::Dir("../shared/data/mnist".into()));
        let back: Spec = toml::from_str(&toml::to_string(&spec).unwrap()).unwrap();
        assert_eq!(back, spec);
    }

    #[test]
    fn data_source_from_flags() {
        let dir = PathBuf::from("d");
        let fashion = Some(KnownDataset::FashionMnist);
        assert_eq!(DataSource::from_flags(fashion, Some(dir.clone())), DataSource::Dir(dir));
        assert_eq!(DataSource::from_flags(fashion, None).to_string(), "fashion-mnist");
        assert_eq!(DataSource::from_flags(None, None), DataSource::default());
    }

    #[test]
    fn missing_files_lists_standard_names() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("t10k-labels-idx1-ubyte"), b"").unwrap();
        let missing = missing_files(dir.path()).unwrap();
        let expected = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"];
        assert_eq!(missing, [expected[0], expected[1], "t10k-images-idx3-ubyte.gz"]);
        assert_eq!(missing_files(&dir.path().join("nope")), None);
    }

    #[test]
    fn downloads_turned_off_say_so() {
        let dir = tempfile::tempdir().unwrap();
        let locations = Locations { cache_root: Some(dir.path().into()), ..Locations::default() };
        let err = load_with(&DataSource::Known(KnownDataset::Mnist), &locations, &mut |_| {});
        let message = err.unwrap_err().to_string();
        assert!(message.contains("downloads: turned off"), "{message}");
    }
}
