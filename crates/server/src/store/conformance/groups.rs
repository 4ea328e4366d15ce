//! Groups and discussions.

use crate::store::{Discussion, GroupStore, Store};

pub(super) fn all<S: Store>(fresh: &mut impl FnMut() -> S) {
    members_come_in_join_order_and_leave_with_the_group(&mut fresh());
    a_user_s_groups_are_replaced_as_a_whole(&mut fresh());
    a_discussion_is_saved_and_replaced_with_its_members_in_order(&mut fresh());
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| (*s).to_owned()).collect()
}

fn members_come_in_join_order_and_leave_with_the_group(s: &mut impl GroupStore) {
    s.upsert_group("g", Some("team")).unwrap();
    s.add_members("g", &ids(&["zoe", "al"])).unwrap();
    // Joined in the same millisecond: by id.
    assert_eq!(s.members("g").unwrap(), ["al", "zoe"]);
    std::thread::sleep(std::time::Duration::from_millis(3));
    s.add_members("g", &ids(&["bo", "al"])).unwrap();
    assert_eq!(s.members("g").unwrap(), ["al", "zoe", "bo"]);
    s.remove_members("g", &ids(&["zoe", "nobody"])).unwrap();
    assert_eq!(s.members("g").unwrap(), ["al", "bo"]);
    // Adding members creates the group.
    s.add_members("h", &ids(&["al"])).unwrap();
    assert_eq!(s.members("h").unwrap(), ["al"]);
    s.dismiss_group("g").unwrap();
    assert!(s.members("g").unwrap().is_empty());
    assert_eq!(s.members("h").unwrap(), ["al"]);
}

fn a_user_s_groups_are_replaced_as_a_whole(s: &mut impl GroupStore) {
    s.add_members("g1", &ids(&["u", "v"])).unwrap();
    s.add_members("g2", &ids(&["u"])).unwrap();
    let groups = [("g2", "two"), ("g3", "three")].map(|(g, n)| (g.to_owned(), n.to_owned()));
    s.sync_user_groups("u", &groups).unwrap();
    assert_eq!(s.members("g1").unwrap(), ["v"]);
    assert_eq!(s.members("g2").unwrap(), ["u"]);
    assert_eq!(s.members("g3").unwrap(), ["u"]);
    s.sync_user_groups("u", &[]).unwrap();
    assert!(s.members("g3").unwrap().is_empty());
}

fn a_discussion_is_saved_and_replaced_with_its_members_in_order(s: &mut impl GroupStore) {
    let mut d = Discussion {
        id: "d1".into(),
        name: "trip".into(),
        admin: "carol".into(),
        open_status: 1,
        members: ids(&["carol", "zed", "alice"]),
    };
    s.save_discussion(&d).unwrap();
    assert_eq!(s.discussion("d1").unwrap(), Some(d.clone()));
    assert_eq!(s.discussion("d2").unwrap(), None);
    d.name = "trip 2".into();
    d.open_status = 0;
    d.members = ids(&["carol", "bob"]);
    s.save_discussion(&d).unwrap();
    assert_eq!(s.discussion("d1").unwrap(), Some(d));
}
