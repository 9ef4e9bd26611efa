package org.poolbench.ipc;

/** For {@link IpcTest}: starts a manager, prints its server's pid and address, and waits to be killed. */
final class ManagerOwner {
    private ManagerOwner() {
    }

    public static void main(String[] args) throws Exception {
        Manager m = Manager.start();
        System.out.println(m.serverPid() + " " + m.address());
        System.out.flush();
        Thread.sleep(120_000);
        m.close();
    }
}
