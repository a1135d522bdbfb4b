//! The datasets initlab knows by name: MNIST and Fashion-MNIST.
//!
//! Both come as the same four gzipped IDX files (60,000 training and 10,000
//! test images of 28×28 pixels, labels 0 to 9). For each file we record two
//! SHA-256 digests:
//!
//! - `sha256`: the published `.gz` file, byte for byte. A download must
//!   match it.
//! - `content_sha256`: the IDX bytes inside it, once gunzipped. A copy that
//!   was gunzipped, or gzipped again (Debian's `dataset-fashion-mnist`
//!   rewrites the gzip header and drops the file name), still holds the
//!   published data if this matches.
//!
//! The Fashion-MNIST `.gz` digests are of the files its authors publish
//! (their README lists MD5 digests; these SHA-256 digests are of the files
//! with those MD5 digests). Their content digests were computed from
//! Debian's copy, whose deflate streams are those of the published files.
//! MNIST's training content digests are not recorded: only the `.gz`
//! digests are published, and a copy of the full files was not at hand.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Error;

/// The role of each of the four files of a dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileRole {
    /// Training images.
    TrainImages,
    /// Training labels.
    TrainLabels,
    /// Test images.
    TestImages,
    /// Test labels.
    TestLabels,
}

impl FileRole {
    /// The four roles, in the order files are listed and fetched.
    pub const ALL: [FileRole; 4] =
        [FileRole::TrainImages, FileRole::TrainLabels, FileRole::TestImages, FileRole::TestLabels];

    /// The standard file name, shared by MNIST and Fashion-MNIST.
    pub fn file_name(self) -> &'static str {
        match self {
            FileRole::TrainImages => "train-images-idx3-ubyte.gz",
            FileRole::TrainLabels => "train-labels-idx1-ubyte.gz",
            FileRole::TestImages => "t10k-images-idx3-ubyte.gz",
            FileRole::TestLabels => "t10k-labels-idx1-ubyte.gz",
        }
    }

    /// The file name without `.gz`, as a gunzipped copy is usually called.
    pub fn raw_file_name(self) -> &'static str {
        self.file_name().trim_end_matches(".gz")
    }
}

/// The digests of one published file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KnownFile {
    /// Which file this is.
    pub role: FileRole,
    /// SHA-256 of the published `.gz` file, lowercase hex.
    pub sha256: &'static str,
    /// SHA-256 of the gunzipped IDX bytes, lowercase hex, when known.
    pub content_sha256: Option<&'static str>,
}

/// A dataset initlab can find, download and verify by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KnownDataset {
    /// Handwritten digits 0 to 9 (LeCun, Cortes and Burges, 1998): the
    /// book's dataset.
    Mnist,
    /// Zalando's article images in 10 classes (Xiao, Rasul and Vollgraf,
    /// 2017, <https://github.com/zalandoresearch/fashion-mnist>): a harder
    /// drop-in for MNIST.
    FashionMnist,
}

const MNIST_FILES: [KnownFile; 4] = [
    KnownFile {
        role: FileRole::TrainImages,
        sha256: "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        content_sha256: None,
    },
    KnownFile {
        role: FileRole::TrainLabels,
        sha256: "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        content_sha256: None,
    },
    KnownFile {
        role: FileRole::TestImages,
        sha256: "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        content_sha256: Some("0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    },
    KnownFile {
        role: FileRole::TestLabels,
        sha256: "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        content_sha256: Some("ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
    },
];

const FASHION_MNIST_FILES: [KnownFile; 4] = [
    KnownFile {
        role: FileRole::TrainImages,
        sha256: "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
        content_sha256: Some("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
    },
    KnownFile {
        role: FileRole::TrainLabels,
        sha256: "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
        content_sha256: Some("bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
    },
    KnownFile {
        role: FileRole::TestImages,
        sha256: "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
        content_sha256: Some("5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
    },
    KnownFile {
        role: FileRole::TestLabels,
        sha256: "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
        content_sha256: Some("0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
    },
];

impl KnownDataset {
    /// Every known dataset.
    pub const ALL: [KnownDataset; 2] = [KnownDataset::Mnist, KnownDataset::FashionMnist];

    /// The name on the command line, in specs and in cache paths.
    pub fn name(self) -> &'static str {
        match self {
            KnownDataset::Mnist => "mnist",
            KnownDataset::FashionMnist => "fashion-mnist",
        }
    }

    /// The name in titles and prose: `MNIST`, `Fashion-MNIST`.
    pub fn title(self) -> &'static str {
        match self {
            KnownDataset::Mnist => "MNIST",
            KnownDataset::FashionMnist => "Fashion-MNIST",
        }
    }

    /// The four files with their published digests, in [`FileRole::ALL`]
    /// order.
    pub fn files(self) -> &'static [KnownFile; 4] {
        match self {
            KnownDataset::Mnist => &MNIST_FILES,
            KnownDataset::FashionMnist => &FASHION_MNIST_FILES,
        }
    }

    /// The digests of the file that plays `role`.
    pub fn file(self, role: FileRole) -> &'static KnownFile {
        let index = FileRole::ALL.iter().position(|&r| r == role).expect("every role is listed");
        &self.files()[index]
    }

    /// Base URLs (ending in `/`) the files are downloaded from, tried in
    /// order. The original MNIST host no longer serves the files.
    pub fn mirrors(self) -> &'static [&'static str] {
        match self {
            KnownDataset::Mnist => &[
                "https://ossci-datasets.s3.amazonaws.com/mnist/",
                "https://storage.googleapis.com/cvdf-datasets/mnist/",
            ],
            KnownDataset::FashionMnist => {
                &["http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"]
            }
        }
    }

    /// Folders where a system package installs the files.
    pub fn system_dirs(self) -> &'static [&'static str] {
        match self {
            KnownDataset::Mnist => &[],
            // Debian's dataset-fashion-mnist package.
            KnownDataset::FashionMnist => &["/usr/share/datasets/fashion-mnist"],
        }
    }

    /// What each label means, label 0 first.
    pub fn class_names(self) -> [&'static str; 10] {
        match self {
            KnownDataset::Mnist => ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
            KnownDataset::FashionMnist => [
                "t-shirt/top",
                "trouser",
                "pullover",
                "dress",
                "coat",
                "sandal",
                "shirt",
                "sneaker",
                "bag",
                "ankle boot",
            ],
        }
    }
}

impl fmt::Display for KnownDataset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for KnownDataset {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self, Error> {
        KnownDataset::ALL.into_iter().find(|d| d.name() == text).ok_or_else(|| Error::UnknownName {
            what: "dataset",
            found: text.to_string(),
            accepted: KnownDataset::ALL.map(KnownDataset::name).join(", "),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_text_and_serde() {
        for dataset in KnownDataset::ALL {
            assert_eq!(dataset.name().parse::<KnownDataset>().unwrap(), dataset);
            let json = serde_json::to_string(&dataset).unwrap();
            assert_eq!(json, format!("\"{dataset}\""));
        }
        let err = "cifar".parse::<KnownDataset>().unwrap_err().to_string();
        assert_eq!(err, "unknown dataset 'cifar'; accepted: mnist, fashion-mnist");
    }

    #[test]
    fn digests_are_lowercase_sha256_hex() {
        for dataset in KnownDataset::ALL {
            for file in dataset.files() {
                let digests = std::iter::once(file.sha256).chain(file.content_sha256);
                for digest in digests {
                    assert_eq!(digest.len(), 64, "{dataset} {:?}", file.role);
                    assert!(digest
                        .bytes()
                        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
                }
            }
            assert!(dataset.mirrors().iter().all(|m| m.ends_with('/')));
        }
    }

    #[test]
    fn file_by_role() {
        let file = KnownDataset::Mnist.file(FileRole::TestLabels);
        assert_eq!(file.role, FileRole::TestLabels);
        assert_eq!(FileRole::TestLabels.raw_file_name(), "t10k-labels-idx1-ubyte");
    }
}
