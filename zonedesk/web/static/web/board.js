// 四库看板: dropping a card on another column posts the same stage change as the form.
(function () {
  const csrf = document.querySelector("#stage-form [name=csrfmiddlewaretoken]").value;
  let dragged = null;
  document.querySelectorAll(".pcard").forEach((card) => {
    card.addEventListener("dragstart", () => { dragged = card; });
  });
  document.querySelectorAll(".column").forEach((column) => {
    column.addEventListener("dragover", (e) => e.preventDefault());
    column.addEventListener("drop", (e) => {
      e.preventDefault();
      if (!dragged || dragged.parentElement === column) return;
      const today = new Date().toISOString().slice(0, 10);
      const on = window.prompt(column.dataset.prompt || "日期 (YYYY-MM-DD)", today);
      if (on === null) return;
      const body = new URLSearchParams({
        stage: column.dataset.stage, version: dragged.dataset.version, on: on,
        next: window.location.pathname + window.location.search,
      });
      fetch(`/projects/${dragged.dataset.pk}/stage/`, {
        method: "POST", body: body, headers: { "X-CSRFToken": csrf }, credentials: "same-origin",
      }).then(() => window.location.reload());
    });
  });
})();
