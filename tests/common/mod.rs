//! Helpers shared by the data tests: a tiny HTTP server on 127.0.0.1 and
//! the paths of the real data on this machine.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The shared MNIST folder: full test set, first 10,000 training items.
pub fn shared_mnist() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/mnist")
}

/// Debian's Fashion-MNIST folder, if installed (CI installs it).
pub fn debian_fashion() -> Option<PathBuf> {
    let dir = PathBuf::from("/usr/share/datasets/fashion-mnist");
    if dir.join("train-images-idx3-ubyte.gz").is_file() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is missing (apt-get install dataset-fashion-mnist)", dir.display());
        None
    }
}

/// Serves `files` (path under the root, e.g. `/mnist/x.gz`, to bytes)
/// over HTTP/1.1 on 127.0.0.1 until the test process ends, answering 404
/// for anything else. Returns the base URL, `http://127.0.0.1:<port>`.
pub fn serve(files: HashMap<String, Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let files = Arc::new(files);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let files = Arc::clone(&files);
            std::thread::spawn(move || answer(stream, &files));
        }
    });
    base
}

/// Reads one request and writes the file or a 404, then closes.
fn answer(mut stream: TcpStream, files: &HashMap<String, Vec<u8>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    // Skip the headers, up to the blank line.
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request.split_whitespace().nth(1).unwrap_or("");
    let (status, body) = match files.get(path) {
        Some(body) => ("200 OK", body.as_slice()),
        None => ("404 Not Found", &b"not here"[..]),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nContent-Type: application/octet-stream\r\n\
         Connection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body));
}

/// A base URL nothing listens on: a port bound then released.
pub fn refused() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    format!("http://{}", listener.local_addr().unwrap())
}

/// The bytes of a file in the shared MNIST folder.
pub fn mnist_file(name: &str) -> Vec<u8> {
    std::fs::read(shared_mnist().join(name)).unwrap()
}

/// The names of the files in `dir`, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| entries.map(|e| e.unwrap().file_name().to_string_lossy().into()).collect())
        .unwrap_or_default();
    names.sort();
    names
}

/// The published Fashion-MNIST `.gz` file rebuilt from Debian's copy.
///
/// Debian's files hold the published deflate streams behind a gzip header
/// without the file name. The published header is `1f 8b 08 08`, the
/// modification time (little-endian), `00 03` and the name without `.gz`
/// ending in a zero byte; with it the bytes are the published file again
/// (its SHA-256 is checked by the code under test).
pub fn published_fashion_file(dir: &Path, name: &str) -> Vec<u8> {
    let debian = std::fs::read(dir.join(name)).unwrap();
    let mtime: u32 = if name.starts_with("train") { 1_504_176_606 } else { 1_504_176_627 };
    let mut bytes = vec![0x1f, 0x8b, 0x08, 0x08];
    bytes.extend_from_slice(&mtime.to_le_bytes());
    bytes.extend_from_slice(&[0x00, 0x03]);
    bytes.extend_from_slice(name.trim_end_matches(".gz").as_bytes());
    bytes.push(0);
    bytes.extend_from_slice(&debian[10..]);
    bytes
}
