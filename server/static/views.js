/*
 * The staff console's views: one tab bar (#views .view-tab[data-view="<panel id>"]) switching the panels
 * (staff.js's #app and the views of insights.js, gaps.js …), shown only while staff.js is signed in (its
 * events pa:staff-login / pa:staff-logout). A view's script learns that its panel was shown from the
 * document event "staff:view" (detail: the panel id), and that the console signed out from "staff:signout".
 */
(function () {
  "use strict";

  const HOME = "app"; // staff.js's search-and-queue view, shown first after sign-in

  function $(id) {
    return document.getElementById(id);
  }

  function tabs() {
    return Array.from(document.querySelectorAll("#views .view-tab"));
  }

  /** Panel id → that panel shown and its tab selected, every other panel hidden; tells the views. */
  function show(view) {
    tabs().forEach((tab) => {
      const on = tab.dataset.view === view;
      tab.setAttribute("aria-selected", String(on));
      const panel = $(tab.dataset.view);
      if (panel) panel.hidden = !on;
    });
    document.dispatchEvent(new CustomEvent("staff:view", { detail: view }));
  }

  /** staff.js signed in or out → the tab bar follows; signing in starts on the home view. */
  function followLogin(signedIn) {
    $("views").hidden = !signedIn;
    if (signedIn) {
      show(HOME);
      return;
    }
    tabs().forEach((tab) => {
      tab.setAttribute("aria-selected", String(tab.dataset.view === HOME));
      const panel = $(tab.dataset.view);
      if (panel && tab.dataset.view !== HOME) panel.hidden = true;
    });
    document.dispatchEvent(new CustomEvent("staff:signout"));
  }

  function start() {
    tabs().forEach((tab) => tab.addEventListener("click", () => show(tab.dataset.view)));
    document.addEventListener("pa:staff-login", () => followLogin(true));
    document.addEventListener("pa:staff-logout", () => followLogin(false));
    if (!$("logout").hidden) followLogin(true);
  }

  window.StaffViews = { show };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
