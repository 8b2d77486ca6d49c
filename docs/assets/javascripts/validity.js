/* Validity over time, in the reader's browser (the page says the status as of
   the build date for readers without script; gazette/public.py computes the
   dates, PublicNotice.status_on says the same in Python).

   - A notice page's 效力状态 is restated as of today.
   - An index page can be narrowed to the notices in force on a chosen day. */
(function () {
  "use strict";

  function iso(d) {
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }

  function cn(day) {
    var p = day.split("-");
    return Number(p[0]) + "年" + Number(p[1]) + "月" + Number(p[2]) + "日";
  }

  function inForce(el, day) {
    var from = el.getAttribute("data-from"), until = el.getAttribute("data-until");
    if (from && day < from) return false;
    if (until) return day < until;
    return !el.getAttribute("data-ended");
  }

  function status(el, day) {
    var from = el.getAttribute("data-from"), until = el.getAttribute("data-until");
    var word = el.getAttribute("data-kind") === "失效" ? "已失效" : "已废止";
    if (from && day < from) return "尚未施行";
    if (until) return day >= until ? word + "（自" + cn(until) + "起）" : "现行有效";
    if (el.getAttribute("data-ended")) return word;   /* 废止/失效 recorded without a date */
    return "现行有效";
  }

  function start() {
    var today = iso(new Date());
    document.querySelectorAll(".validity-status").forEach(function (el) {
      el.textContent = status(el, today);
      var asOf = el.parentNode.querySelector(".validity-asof");
      if (asOf) asOf.textContent = "（截至" + cn(today) + "）";
    });
    var form = document.querySelector(".in-force-filter");
    if (!form) return;
    form.hidden = false;
    var input = form.querySelector("input[type=date]");
    var note = form.querySelector(".in-force-count");
    var items = Array.prototype.slice.call(document.querySelectorAll("ul.notice-list li[data-from]"));
    function apply() {
      var day = input.value;
      var shown = 0;
      items.forEach(function (li) {
        var keep = !day || inForce(li, day);
        li.hidden = !keep;
        if (keep) shown += 1;
      });
      note.textContent = day ? "本页中" + cn(day) + "现行有效的文件共" + shown + "件。" : "";
    }
    input.addEventListener("change", apply);
    input.addEventListener("input", apply);
    form.querySelector("button").addEventListener("click", function () { input.value = ""; apply(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start, { once: true });
  } else {
    start();
  }
})();
