package io.conduit.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./conduit kube start}'s background process: runs a {@link KubeControlPlane} until it gets SIGTERM
 * ({@code ./conduit kube stop}), then stops it. Arguments: the binaries' folder and the state folder, where it
 * writes {@code kubeconfig} and then {@code ready}, which the script waits for.
 */
public final class KubeControlPlaneMain {

    private KubeControlPlaneMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: KubeControlPlaneMain <binaries folder> <state folder>");
            System.exit(2);
        }
        KubeControlPlane plane = KubeControlPlane.start(KubeBinaries.of(Path.of(args[0])), Path.of(args[1]));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            plane.close();
            stopped.countDown();
        }, "conduit-kube-stop"));
        Files.writeString(Path.of(args[1], "ready"), plane.kubeconfig() + "\n");
        System.out.println("control plane ready; kubeconfig " + plane.kubeconfig());
        stopped.await();
    }
}
