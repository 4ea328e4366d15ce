//! Public-service accounts, follows, customer services and evaluations.

use crate::store::services::{CustomerService, Evaluation, PublicAccount, KEPT_EVALUATIONS};
use crate::store::{Batch, ServiceStore, SettingsStore, Store, UserStore};

pub(super) fn all<S: Store>(fresh: &mut impl FnMut() -> S) {
    mp_accounts_are_followed_by_choice_and_mc_ones_until_unfollowed(&mut fresh());
    searches_match_ids_and_names_exactly_or_in_part(&mut fresh());
    services_and_evaluations_are_kept(&mut fresh());
}

fn acct(id: &str, app: bool, name: &str, time: i64) -> PublicAccount {
    PublicAccount {
        id: id.into(),
        app,
        name: name.into(),
        menu: "[]".into(),
        time,
        ..PublicAccount::default()
    }
}

fn ids(v: Vec<PublicAccount>) -> Vec<String> {
    v.into_iter().map(|a| a.id).collect()
}

fn mp_accounts_are_followed_by_choice_and_mc_ones_until_unfollowed(
    s: &mut (impl ServiceStore + UserStore + SettingsStore),
) {
    let (mp, mc) = (
        acct("news", false, "News", 5),
        acct("app", true, "App desk", 6),
    );
    s.put_public_account(&mp).unwrap();
    s.put_public_account(&mc).unwrap();
    assert_eq!(s.public_account_count().unwrap(), 2);
    assert_eq!(s.public_account("app").unwrap(), Some(mc.clone()));
    assert_eq!(ids(s.followed_accounts("u", 0).unwrap()), ["app"]);
    assert!(s.set_follow("u", &mp, true, 10).unwrap());
    assert!(
        !s.set_follow("u", &mp, true, 11).unwrap(),
        "a second follow adds no row"
    );
    assert_eq!(ids(s.followed_accounts("u", 0).unwrap()), ["app", "news"]);
    // Incremental: only what changed after 7 (the follow at 10).
    assert_eq!(ids(s.followed_accounts("u", 7).unwrap()), ["news"]);
    assert!(s.set_follow("u", &mc, false, 12).unwrap());
    assert!(!s.follows("u", &mc).unwrap() && s.follows("u", &mp).unwrap());
    assert_eq!(s.follow_rows("u").unwrap(), 2);
    assert_eq!(s.followers(&mp).unwrap(), ["u"]);
    // Every user of the app follows an `mc` until they unfollow it.
    s.upsert_user("v", None, None).unwrap();
    s.upsert_user("app", None, None).unwrap();
    s.set_synced("w", 1).unwrap();
    s.set_synced("u", 1).unwrap();
    assert_eq!(s.followers(&mc).unwrap(), ["v", "w"]);
    s.set_follow("u", &mc, true, 13).unwrap();
    s.set_follow("u", &mp, false, 14).unwrap();
    assert_eq!(s.follow_rows("u").unwrap(), 0);
    assert_eq!(s.followers(&mc).unwrap(), ["u", "v", "w"]);
    // A changed account is news to its followers.
    let renamed = acct("app", true, "Help desk", 20);
    s.put_public_account(&renamed).unwrap();
    assert_eq!(s.followed_accounts("u", 15).unwrap(), [renamed]);
    assert!(s.delete_public_account("news").unwrap());
    assert!(!s.delete_public_account("news").unwrap());
    assert_eq!(s.public_account("news").unwrap(), None);
    assert_eq!(s.public_account_count().unwrap(), 1);
}

fn searches_match_ids_and_names_exactly_or_in_part(s: &mut impl ServiceStore) {
    s.put_public_account(&acct("news", false, "Daily news", 1))
        .unwrap();
    s.put_public_account(&acct("desk", true, "Help_desk", 1))
        .unwrap();
    s.put_public_account(&acct("50pct", false, "Half%off", 1))
        .unwrap();
    let mut search =
        |mp, mc, exact, keyword| ids(s.search_accounts(mp, mc, exact, keyword).unwrap());
    assert_eq!(search(true, true, false, "e"), ["desk", "news"]);
    assert_eq!(search(true, false, false, "e"), ["news"]);
    assert_eq!(search(false, true, false, "e"), ["desk"]);
    assert_eq!(search(true, true, true, "Daily news"), ["news"]);
    assert!(search(true, true, true, "Daily").is_empty());
    assert!(search(true, true, true, "daily news").is_empty());
    // In part, ASCII letters match whatever their case.
    assert_eq!(search(true, true, false, "DAILY"), ["news"]);
    // `_` and `%` are characters, not wildcards.
    assert_eq!(search(true, true, false, "p_d"), ["desk"]);
    assert!(search(true, true, false, "a_y").is_empty());
    assert_eq!(search(true, true, false, "f%o"), ["50pct"]);
    assert!(search(true, true, false, "y%w").is_empty());
}

fn services_and_evaluations_are_kept(s: &mut (impl ServiceStore + Batch)) {
    let cs = CustomerService {
        id: "kf".into(),
        mode: 3,
        greeting: "hi".into(),
        agents: vec!["a2".into(), "a1".into()],
    };
    s.put_customer_service(&cs).unwrap();
    let other = CustomerService {
        id: "help".into(),
        mode: 1,
        greeting: String::new(),
        agents: vec![],
    };
    s.put_customer_service(&other).unwrap();
    assert_eq!(s.customer_services().unwrap(), [other.clone(), cs.clone()]);
    let changed = CustomerService {
        agents: vec!["a3".into()],
        ..cs
    };
    s.put_customer_service(&changed).unwrap();
    assert_eq!(s.customer_services().unwrap()[1], changed);
    let e = |i: usize| Evaluation {
        service: "kf".into(),
        customer: format!("c{i}"),
        sid: "s".into(),
        kind: 1,
        source: (i % 2 == 0).then_some(5),
        resolved: (i % 3 == 0).then_some(true),
        suggest: "good".into(),
        time: 3,
    };
    s.begin_batch().unwrap();
    for i in 0..KEPT_EVALUATIONS + 2 {
        s.record_evaluation(&e(i)).unwrap();
    }
    s.commit_batch().unwrap();
    let kept = s.evaluations("kf", usize::MAX).unwrap();
    assert_eq!(kept.len(), KEPT_EVALUATIONS);
    assert_eq!(kept[0], e(KEPT_EVALUATIONS + 1));
    assert_eq!(s.evaluations("kf", 2).unwrap()[1], e(KEPT_EVALUATIONS));
    assert!(s.delete_customer_service("kf").unwrap());
    assert!(!s.delete_customer_service("kf").unwrap());
    assert_eq!(s.customer_services().unwrap(), [other]);
    assert!(s.evaluations("kf", 10).unwrap().is_empty());
}
