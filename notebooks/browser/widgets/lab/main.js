// Protocol 2.1 client for the widget test: JupyterLab's kernel client
// (@jupyterlab/services) and the widget manager of @jupyter-widgets/html-manager
// (ipywidgets 8 models and views), wired to a live gotrann kernel started
// through the Notebook server. The test drives it from page.html; state for
// the test is kept in window.widgetTest.
import { KernelManager, ServerConnection } from '@jupyterlab/services';
import { shims } from '@jupyter-widgets/base';
import { HTMLManager } from '@jupyter-widgets/html-manager';
import '@jupyter-widgets/controls/css/widgets-base.css';

const WIDGET = 'application/vnd.jupyter.widget-view+json';

// LiveManager is html-manager's manager with comms to a kernel, as
// JupyterLab's own widget manager has.
class LiveManager extends HTMLManager {
  constructor(kernel) {
    super();
    this.kernel = kernel;
    kernel.registerCommTarget('jupyter.widget', async (comm, msg) => {
      await this.handle_comm_open(new shims.services.Comm(comm), msg);
    });
  }
  async _create_comm(target, id, data, metadata, buffers) {
    const comm = this.kernel.createComm(target, id);
    if (data || metadata) {
      comm.open(data, metadata, buffers);
    }
    return new shims.services.Comm(comm);
  }
  async _get_comm_info() {
    const reply = await this.kernel.requestCommInfo({ target_name: this.comm_target_name });
    return reply.content.status === 'ok' ? reply.content.comms : {};
  }
}

const state = (window.widgetTest = { log: [], outputs: {}, error: null, states: null });
const log = (s) => { state.log.push(s); console.log(s); };

async function main() {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  const settings = ServerConnection.makeSettings({ baseUrl: location.origin + '/', token });
  const kernels = new KernelManager({ serverSettings: settings });
  const kernel = await kernels.startNew({ name: 'gotrann' });
  state.kernel = kernel.name;
  const manager = new LiveManager(kernel);
  state.manager = manager;
  const out = document.getElementById('out');
  kernel.iopubMessage.connect(async (_, msg) => {
    const t = msg.header.msg_type;
    if (t === 'error') {
      state.error = msg.content.ename + ': ' + msg.content.evalue;
    }
    if (t !== 'display_data' && t !== 'update_display_data' && t !== 'execute_result') {
      return;
    }
    const data = msg.content.data;
    const id = (msg.content.transient && msg.content.transient.display_id) || '';
    if (data[WIDGET] && t !== 'update_display_data') {
      const model = await manager.get_model(data[WIDGET].model_id);
      const view = await manager.create_view(model);
      const el = document.createElement('div');
      el.className = 'widget-output';
      out.appendChild(el);
      await manager.display_view(view, el);
      log('widget ' + model.get('_model_name'));
      return;
    }
    let el = id && document.querySelector('[data-display-id="' + id + '"]');
    if (!el) {
      if (t === 'update_display_data') return;
      el = document.createElement('pre');
      el.dataset.displayId = id;
      out.appendChild(el);
    }
    el.textContent = data['text/plain'];
    state.outputs[id] = data['text/plain'];
    log(t + ' ' + data['text/plain']);
  });
  const code = document.getElementById('code').textContent;
  const reply = await kernel.requestExecute({ code }).done;
  log('execute_reply ' + reply.content.status);
  // what JupyterLab's manager does on start: the control comm
  const control = kernel.createComm('jupyter.widget.control');
  control.onMsg = (msg) => {
    state.states = Object.keys(msg.content.data.states || {}).length;
    log('update_states ' + state.states);
  };
  control.open({});
  control.send({ method: 'request_states' });
  state.ready = true;
}

main().catch((e) => { state.error = String(e && e.stack || e); console.error(e); });
