//! Interned terms: small integer ids instead of strings, for the joins of the rules (`reason`)
//! and of validation (`shacl`).

use std::collections::HashMap;
use std::hash::BuildHasher;

use rustc_hash::FxBuildHasher;

use oxigraph::model::Term;

/// Terms and their ids. Each term is held once: the index maps a 64-bit hash to the id, and the
/// rare term whose hash another term already holds goes to `collisions`.
#[derive(Default)]
pub(crate) struct Names {
    pub(crate) terms: Vec<Term>,
    index: HashMap<u64, u32, FxBuildHasher>,
    collisions: HashMap<Term, u32>,
    state: FxBuildHasher,
}

impl Names {
    /// The id of `t`, given one if new.
    pub(crate) fn id(&mut self, t: Term) -> u32 {
        let h = self.state.hash_one(&t);
        let next = self.terms.len() as u32;
        match self.index.get(&h) {
            Some(&i) if self.terms[i as usize] == t => i,
            Some(_) => {
                if let Some(&i) = self.collisions.get(&t) {
                    return i;
                }
                self.collisions.insert(t.clone(), next);
                self.terms.push(t);
                next
            }
            None => {
                self.index.insert(h, next);
                self.terms.push(t);
                next
            }
        }
    }

    /// The id of `t`, if it has one.
    pub(crate) fn get(&self, t: &Term) -> Option<u32> {
        match self.index.get(&self.state.hash_one(t)) {
            Some(&i) if self.terms[i as usize] == *t => Some(i),
            Some(_) => self.collisions.get(t).copied(),
            None => None,
        }
    }
}
