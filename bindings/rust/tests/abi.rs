// SPDX-License-Identifier: LGPL-2.1-or-later OR MIT
//! The crate's mirror of the uapi against the C compiler's view of
//! `<linux/kipc.h>`: `abi.txt`, printed by tests/abi.c (the Makefile builds
//! and runs it), named by `KIPC_ABI_TXT` or found next to this test binary.

use std::collections::BTreeMap;

fn expected() -> BTreeMap<String, usize> {
    let path = match std::env::var_os("KIPC_ABI_TXT") {
        Some(p) => std::path::PathBuf::from(p),
        None => std::env::current_exe().unwrap().with_file_name("abi.txt"),
    };
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {} (make rust-abi writes it)", path.display(), e));
    text.lines()
        .map(|l| {
            let (k, v) = l.rsplit_once(' ').expect("name value");
            (k.to_string(), v.parse().expect("a number"))
        })
        .collect()
}

#[test]
fn every_size_and_offset_matches_the_header() {
    let want = expected();
    let have: BTreeMap<String, usize> = kipc::sys::layout().into_iter().collect();
    let mut diff = Vec::new();
    for (k, v) in &want {
        match have.get(k) {
            Some(h) if h == v => {}
            Some(h) => diff.push(format!("{}: header {}, crate {}", k, v, h)),
            None => diff.push(format!("{}: not in the crate", k)),
        }
    }
    for k in have.keys().filter(|k| !want.contains_key(*k)) {
        diff.push(format!("{}: not in abi.c", k));
    }
    assert!(diff.is_empty(), "uapi drift:\n{}", diff.join("\n"));
}

#[test]
fn the_list_is_not_empty() {
    // A truncated abi.txt must not pass by comparing nothing.
    assert!(expected().len() >= 150, "abi.txt holds {} entries", expected().len());
}
