// With JavaScript the preview follows the typing (htmx), so the no-JS preview button goes.
document.documentElement.classList.add("js-playbook");
